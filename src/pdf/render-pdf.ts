import type { Browser } from 'puppeteer-core';

export interface RenderedPdf {
  pdf: Uint8Array;
  /** Every request the page attempted that was not its own inline data; all of them were refused. */
  blockedRequests: string[];
}

/** Only the document itself and its inline (data:) fonts and images may load; nothing leaves the machine or reads a file. */
function isOwnResource(url: string): boolean {
  return url.startsWith('data:') || url === 'about:blank';
}

/**
 * Prints a self-contained HTML document to PDF in a fresh tab of `browser`.
 * Page scripts are disabled and every outside request is aborted.
 */
export async function renderPdf(browser: Browser, html: string): Promise<RenderedPdf> {
  const page = await browser.newPage();
  const blockedRequests: string[] = [];
  try {
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.isInterceptResolutionHandled()) return;
      if (isOwnResource(request.url())) void request.continue();
      else {
        blockedRequests.push(request.url());
        void request.abort('blockedbyclient');
      }
    });
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true });
    return { pdf, blockedRequests };
  } finally {
    await page.close();
  }
}
