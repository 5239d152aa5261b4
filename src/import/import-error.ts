import { exitCodes, LetterpressError } from '../common/errors.ts';

/** A document that cannot be imported as asked (missing, unreadable, or its letter exists already): exit 1. */
export class ImportError extends LetterpressError {
  readonly exitCode = exitCodes.failed.code;
}
