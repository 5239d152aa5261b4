import type { PDFOptions } from 'puppeteer-core';

/**
 * How every letter is printed (the benchmark's floor prints the same way);
 * `full` adds the structure tree and outline, which only the final pass needs.
 */
export function printOptions(full = true): PDFOptions {
  return { preferCSSPageSize: true, printBackground: true, tagged: full, outline: full };
}
