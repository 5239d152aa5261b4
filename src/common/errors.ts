import type { VFile } from 'vfile';

/**
 * Every exit code of the command, with its meaning as docs/reference.md
 * states it (`meaning`, Markdown; tests/errors.test.ts keeps the two equal)
 * and as `--help` lists it (`brief`). Error classes take their code from here.
 */
export const exitCodes = {
  done: { code: 0, meaning: 'done', brief: 'done' },
  failed: {
    code: 1,
    meaning: 'a letter or its data has errors (front matter, lint, recipients list, an archive that does not verify, a signature problem); for `doctor`, something is missing',
    brief: 'a letter or its data has errors (or, for doctor, something is missing)',
  },
  usage: {
    code: 2,
    meaning: 'bad command line, a letter that cannot be read (missing, a folder, a link out of the project), a refused output folder, a key that cannot be used',
    brief: 'bad command line',
  },
  toolMissing: { code: 3, meaning: 'a tool is missing or fails: Chromium, qpdf (also when it fails on a copy), Ghostscript', brief: 'a tool is missing or fails (Chromium, qpdf, Ghostscript)' },
  archiveBusy: { code: 75, meaning: 'the archive is locked by another run (waited two minutes)', brief: 'the archive is locked by another run' },
  interrupted: { code: 130, meaning: 'interrupted (Ctrl-C or SIGTERM): Chromium closed, earlier outputs unchanged', brief: 'interrupted' },
  bug: { code: 70, meaning: 'internal error: a bug, please report it with the message', brief: 'internal error' },
} as const;

/** One of the exit codes of the table. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes]['code'];

/**
 * A failure the user can act on: its message is one line naming the cause and
 * the fix, and it carries the exit code the CLI ends with. Anything else that
 * reaches the CLI is a bug (exit 70, with its stack).
 */
export abstract class LetterpressError extends Error {
  abstract readonly exitCode: ExitCode;
}

/** A bad command line (exit 2). */
export class UsageError extends LetterpressError {
  readonly exitCode = exitCodes.usage.code;
}

/** Letters with errors; the files carry the messages (file:line:column), and nothing was written (exit 1). */
export class ContentError extends LetterpressError {
  readonly exitCode = exitCodes.failed.code;
  constructor(readonly files: VFile[]) {
    super('the letters have errors');
  }
}

/** A tool letterpress needs is not installed: Chromium, qpdf, Ghostscript (exit 3). */
export class ToolMissingError extends LetterpressError {
  readonly exitCode = exitCodes.toolMissing.code;
}

/** Ctrl-C or SIGTERM: the command stopped and cleaned up (exit 130). */
export class InterruptedError extends LetterpressError {
  readonly exitCode = exitCodes.interrupted.code;
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
export function exitCodeFor(error: unknown): ExitCode {
  return error instanceof LetterpressError ? error.exitCode : exitCodes.bug.code;
}
