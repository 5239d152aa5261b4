import { exitCodes, LetterpressError } from '../common/errors.ts';

/** A letter named on the command line that cannot be read as a letter (missing, a folder, a link out of the project…): a usage error. */
export class LetterFileError extends LetterpressError {
  readonly exitCode = exitCodes.usage.code;
}
