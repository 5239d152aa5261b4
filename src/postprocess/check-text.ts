import type { PDFDocument } from 'pdf-lib';
import type { VFile } from 'vfile';
import type { SourceText } from '../markdown/vfile-data.ts';
import { pdfText } from '../pdf/pdf-text.ts';
import { quoteHead } from '../load/quote.ts';

/**
 * Characters compared: compatibility forms folded (ligatures, full-width Latin), spaces and invisible breaks
 * dropped, and the hyphen a word is broken with at a line's end (a soft hyphen, then the hyphen drawn).
 */
function comparable(text: string): string {
  return text.normalize('NFKC').replace(/\u00ad[\u2010-]?|[\s\u200b-\u200d\u2060\ufeff]+/gu, '');
}

/** Characters a piece of text may be parted by on the page: a page's running header and footer, its footnotes, a table's repeated head. */
const gap = 2000;
/** Characters matched at once before the match is extended: enough that a chance match is unlikely. */
const anchor = 8;

/**
 * Where `wanted` ends in `shown` when it is found from `from` on, allowing it
 * to be parted by at most `gap` characters of other text (a page break in the
 * middle of a paragraph); -1 when it is not.
 */
function find(shown: string, wanted: string, from: number): number {
  let at = from;
  for (let p = 0; p < wanted.length; ) {
    const head = wanted.slice(p, p + anchor);
    const found = shown.indexOf(head, at);
    if (found === -1 || (p > 0 && found - at > gap)) return -1;
    let k = head.length;
    while (p + k < wanted.length && shown[found + k] === wanted[p + k]) k++;
    p += k;
    at = found + k;
  }
  return at;
}

/**
 * Proves that nothing of the letter was lost on the way to the PDF: each
 * piece of visible source text (rehype-visible-text.ts) must be found in the
 * text the printed PDF shows, in order (or, for a piece the layout moves,
 * anywhere). The first piece not found is an error at its line and column,
 * and the letter is not written.
 */
export function checkText(doc: PDFDocument, file: VFile): void {
  const expected = file.data.visibleText ?? [];
  if (expected.length === 0) return;
  const shown = comparable(pdfText(doc));
  let cursor = 0;
  const lost = expected.find((piece: SourceText) => {
    const wanted = comparable(piece.value);
    if (wanted === '') return false;
    const end = find(shown, wanted, cursor);
    if (end !== -1) {
      cursor = end;
      return false;
    }
    return find(shown, wanted, 0) === -1;
  });
  if (!lost) return;
  const message = file.message(`text “${quoteHead(lost.value.trim())}” is missing from the printed PDF: nothing was written; please report it with the letter`, {
    place: { line: lost.line, column: lost.column },
    ruleId: 'text-lost',
    source: 'letterpress',
  });
  message.fatal = true;
}
