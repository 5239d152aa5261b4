import { ToolMissingError } from '../common/errors.ts';

/** No browser to print with: none found, not a browser, or it would not start. The message says how to get one. */
export class BrowserError extends ToolMissingError {}
