import { exitCodes, LetterpressError } from '../common/errors.ts';

/** `lint` found errors in a letter's text (exit code 1); the report was printed already. */
export class LintFailure extends LetterpressError {
  readonly exitCode = exitCodes.failed.code;
}
