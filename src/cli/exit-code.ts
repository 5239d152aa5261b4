import { ArchiveError } from '../archive/layout.ts';
import { ArchiveBusyError } from '../archive/lock.ts';
import { ContentError } from '../build/content-error.ts';
import { QpdfMissingError } from '../distribute/encrypt-copy.ts';
import { RecipientListError } from '../distribute/recipient-list-error.ts';
import { LintFailure } from '../lint/lint-failure.ts';
import { BrowserMissingError, InterruptedError } from '../pdf/browser.ts';
import { LayoutError } from '../pdf/layout-error.ts';
import { PdfxToolError } from '../postprocess/convert-pdfx.ts';
import { UsageError } from './parse-args.ts';

/** The one place where an outcome becomes an exit code. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof ContentError || error instanceof LayoutError) return 1;
  if (error instanceof RecipientListError) return 1;
  if (error instanceof ArchiveError) return 1;
  if (error instanceof LintFailure) return error.exitCode;
  if (error instanceof UsageError) return 2;
  if (error instanceof BrowserMissingError || error instanceof QpdfMissingError || error instanceof PdfxToolError) return 3;
  if (error instanceof InterruptedError) return 130;
  // EX_TEMPFAIL: another run holds the archive's lock; trying again later will work.
  if (error instanceof ArchiveBusyError) return 75;
  return 70;
}
