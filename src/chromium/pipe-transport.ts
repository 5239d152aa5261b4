import type { Readable, Writable } from 'node:stream';
import type { ConnectionTransport } from 'puppeteer-core';

/**
 * The DevTools protocol over Chromium's `--remote-debugging-pipe`: JSON
 * messages, each ended by a NUL byte, as Puppeteer's own (internal) pipe
 * transport speaks it.
 */
export class PipeTransport implements ConnectionTransport {
  onmessage?: (message: string) => void;
  onclose?: () => void;
  #commands: Writable;
  #pending: Buffer[] = [];
  #closed = false;

  constructor(commands: Writable, answers: Readable) {
    this.#commands = commands;
    answers.on('data', (chunk: Buffer) => this.#receive(chunk));
    // A Chromium gone before Puppeteer connected (killed while it loaded) closed the pipe already: the connection must
    // hear of it, or its calls would wait out their timeouts (and keep the process alive meanwhile).
    if (answers.closed || answers.destroyed) setImmediate(() => this.#end());
    else answers.on('close', () => this.#end());
  }

  #end(): void {
    this.#closed = true;
    this.onclose?.();
  }

  send(message: string): void {
    if (this.#closed) return;
    this.#commands.write(`${message}\0`);
  }

  #receive(chunk: Buffer): void {
    let end = chunk.indexOf(0);
    if (end === -1) {
      this.#pending.push(chunk);
      return;
    }
    let start = 0;
    while (end !== -1) {
      const message = Buffer.concat([...this.#pending, chunk.subarray(start, end)]).toString();
      this.#pending = [];
      // Answered after the current turn, as Puppeteer's transport does: a handler may send while this one runs.
      setImmediate(() => this.onmessage?.(message));
      start = end + 1;
      end = chunk.indexOf(0, start);
    }
    if (start < chunk.length) this.#pending.push(chunk.subarray(start));
  }

  close(): void {
    this.#closed = true;
    this.#commands.end();
  }
}
