import { loadPdf } from '../pdf/load-pdf.ts';
import { textRuns } from '../pdf/text-runs.ts';
import type { RecipientSlot } from './stamp-copy.ts';

/**
 * Where a copy writes its recipient in the letterhead, read from the printed
 * first page of a letter built with that line empty: on the baseline of the
 * line's label (`致`, `To:`), where the date below it starts (the two values
 * share the letterhead's second column), in the date's size and colour.
 */
export async function findRecipientSlot(letterPdf: Uint8Array, label: string, date: string): Promise<RecipientSlot> {
  const runs = textRuns(await loadPdf(letterPdf), 0);
  const to = runs.find((r) => r.text.trim() === label.trim());
  const value = to && runs.find((r) => r.text.trim() === date && r.y < to.y && r.x > to.x);
  if (!to || !value) throw new Error(`the letterhead's \`${label}\` line and the date \`${date}\` below it were not found on the first page`);
  return { page: 0, x: value.x, y: to.y, size: value.size, color: value.color };
}
