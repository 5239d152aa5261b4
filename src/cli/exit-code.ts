import { ContentError } from '../build/build-letters.ts';
import { BrowserMissingError, InterruptedError } from '../pdf/browser.ts';
import { LayoutError } from '../pdf/render-pdf.ts';
import { UsageError } from './parse-args.ts';

/** The one place where an outcome becomes an exit code. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof ContentError || error instanceof LayoutError) return 1;
  if (error instanceof UsageError) return 2;
  if (error instanceof BrowserMissingError) return 3;
  if (error instanceof InterruptedError) return 130;
  return 70;
}
