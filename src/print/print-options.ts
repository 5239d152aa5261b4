import type { PDFOptions } from 'puppeteer-core';

/**
 * How every letter is printed (the benchmark's floor prints the same way);
 * `full` adds the structure tree and outline, which only the final pass needs.
 * The page itself is left unpainted (the paper is white): a copy's watermark
 * goes under the letter's content, opaque, where a white page fill would hide
 * it, so that no page needs transparency (PDF/X-3 forbids it, and Ghostscript
 * would rasterise the whole page).
 */
export function printOptions(full = true): PDFOptions {
  return { preferCSSPageSize: true, printBackground: true, omitBackground: true, tagged: full, outline: full };
}
