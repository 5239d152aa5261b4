import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PipeTransport } from '../../src/chromium/pipe-transport.ts';

describe('the DevTools pipe transport (NUL-ended JSON messages)', () => {
  it('reads messages split across chunks, several in one chunk, and a multi-byte character cut in two', async () => {
    const commands = new PassThrough();
    const answers = new PassThrough();
    const transport = new PipeTransport(commands, answers);
    const received: string[] = [];
    transport.onmessage = (m) => received.push(m);
    const text = Buffer.from('{"id":1,"result":"拾象"}\0{"id":2}\0{"id":3,"result":"目录"}\0');
    const cut = text.indexOf(Buffer.from('象')) + 1;
    answers.write(text.subarray(0, cut));
    answers.write(text.subarray(cut, text.length - 5));
    answers.write(text.subarray(text.length - 5));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received).toEqual(['{"id":1,"result":"拾象"}', '{"id":2}', '{"id":3,"result":"目录"}']);
  });

  it('ends each message it sends with NUL, reports the pipe closing, and sends nothing once closed', async () => {
    const commands = new PassThrough();
    const answers = new PassThrough();
    const transport = new PipeTransport(commands, answers);
    let closed = false;
    transport.onclose = () => (closed = true);
    transport.send('{"id":1,"method":"Browser.getVersion"}');
    expect(commands.read()?.toString()).toBe('{"id":1,"method":"Browser.getVersion"}\0');
    answers.destroy();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(true);
    transport.send('{"id":2}');
    expect(commands.read()).toBeNull();
  });

  it('reports a pipe that closed before it was made (Chromium gone before Puppeteer connected), so no call waits for an answer', async () => {
    const answers = new PassThrough();
    answers.destroy();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const transport = new PipeTransport(new PassThrough(), answers);
    let closed = false;
    transport.onclose = () => (closed = true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(true);
  });
});
