import type { VFile } from 'vfile';

/** Raised when a letter has errors; the files carry the messages, and nothing was written. */
export class ContentError extends Error {
  constructor(readonly files: VFile[]) {
    super('the letters have errors');
  }
}
