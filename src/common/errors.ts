import type { VFile } from 'vfile';

/**
 * A failure the user can act on: its message is one line naming the cause and
 * the fix, and it carries the exit code the CLI ends with. Anything else that
 * reaches the CLI is a bug (exit 70, with its stack).
 */
export abstract class LetterpressError extends Error {
  abstract readonly exitCode: number;
}

/** A bad command line (exit 2). */
export class UsageError extends LetterpressError {
  readonly exitCode = 2;
}

/** Letters with errors; the files carry the messages (file:line:column), and nothing was written (exit 1). */
export class ContentError extends LetterpressError {
  readonly exitCode = 1;
  constructor(readonly files: VFile[]) {
    super('the letters have errors');
  }
}

/** A tool letterpress needs is not installed: Chromium, qpdf, Ghostscript (exit 3). */
export class ToolMissingError extends LetterpressError {
  readonly exitCode = 3;
}

/** Ctrl-C or SIGTERM: the command stopped and cleaned up (exit 130). */
export class InterruptedError extends LetterpressError {
  readonly exitCode = 130;
  /**
   * Raised without a message by a stage that cannot say what the interruption
   * left (the browser, the worker parse): the CLI reports the command's own line instead.
   */
  readonly generic: boolean;
  constructor(message?: string, options?: ErrorOptions) {
    super(message ?? 'interrupted', options);
    this.generic = message === undefined;
  }
}

/** The exit code an outcome ends the command with: the error's own, or 70 for a bug. */
export function exitCodeFor(error: unknown): number {
  return error instanceof LetterpressError ? error.exitCode : 70;
}
