import { exitCodes, LetterpressError } from '../common/errors.ts';

/** The letter cannot be laid out as promised: TOC numbers that never settle, a heading without destination, a font outside the bundle. */
export class LayoutError extends LetterpressError {
  readonly exitCode = exitCodes.failed.code;
}
