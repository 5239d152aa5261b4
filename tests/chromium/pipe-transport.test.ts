import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PipeTransport } from '../../src/chromium/pipe-transport.ts';

describe('the DevTools pipe transport (NUL-ended JSON messages)', () => {
  it('reads messages split across chunks, several in one chunk, and a multi-byte character cut in two', async () => {
    const commands = new PassThrough();
    const answers = new PassThrough();
    const transport = new PipeTransport(commands, answers);
    const received: string[] = [];
    const third = new Promise<void>((resolve) => {
      transport.onmessage = (m) => {
        if (received.push(m) === 3) resolve();
      };
    });
    const text = Buffer.from('{"id":1,"result":"拾象"}\0{"id":2}\0{"id":3,"result":"目录"}\0');
    const cut = text.indexOf(Buffer.from('象')) + 1;
    answers.write(text.subarray(0, cut));
    answers.write(text.subarray(cut, text.length - 5));
    answers.write(text.subarray(text.length - 5));
    await third;
    expect(received).toEqual(['{"id":1,"result":"拾象"}', '{"id":2}', '{"id":3,"result":"目录"}']);
  });

  it('ends each message it sends with NUL, reports the pipe closing, and sends nothing once closed', async () => {
    const commands = new PassThrough();
    const answers = new PassThrough();
    const transport = new PipeTransport(commands, answers);
    const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
    transport.send('{"id":1,"method":"Browser.getVersion"}');
    expect(commands.read()?.toString()).toBe('{"id":1,"method":"Browser.getVersion"}\0');
    answers.destroy();
    await closed;
    transport.send('{"id":2}');
    expect(commands.read()).toBeNull();
  });

  it('reports a pipe that closed before it was made (Chromium gone before Puppeteer connected), so no call waits for an answer', async () => {
    const answers = new PassThrough();
    const gone = new Promise((resolve) => answers.once('close', resolve));
    answers.destroy();
    await gone;
    const transport = new PipeTransport(new PassThrough(), answers);
    // Resolved only if the transport reports the close it found.
    await new Promise<void>((resolve) => (transport.onclose = resolve));
  });
});
