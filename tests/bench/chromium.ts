import type { Page } from 'puppeteer-core';

/** The options of src/pdf/render-pdf.ts's page.pdf() call, kept in step by hand (render-pdf.ts does not export them). */
export const printOptions = { preferCSSPageSize: true, printBackground: true, tagged: true, outline: true } as const;

/** What every print needs first, as render-pdf.ts does it: the document loaded, its fonts ready. Returns the ms of each. */
export async function loadPage(page: Page, html: string): Promise<{ setContent: number; fontsReady: number }> {
  const start = performance.now();
  await page.setContent(html, { waitUntil: 'load' });
  const loaded = performance.now();
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return { setContent: loaded - start, fontsReady: performance.now() - loaded };
}
