import { exitCodes, LetterpressError } from '../common/errors.ts';

/** A recipient list that cannot be used as it is; `line` is the 1-based line of the CSV file at fault. */
export class RecipientListError extends LetterpressError {
  readonly exitCode = exitCodes.failed.code;
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}
