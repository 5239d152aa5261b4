import type { PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'puppeteer-core';
import { tocPageClass, writeTocNumbers } from '../toc/toc-numbers.ts';
import { LayoutError } from './layout-error.ts';
import { loadPdf } from './load-pdf.ts';
import { printOptions } from './print-options.ts';
import { readDestinationPages } from './read-destinations.ts';

export interface RenderOptions {
  /** Heading ids whose page numbers the document's TOC prints (see toc-numbers.ts); none: print once. */
  tocTargets: readonly string[];
  /** Bound on layout passes before giving up on page numbers that keep moving. */
  maxPasses?: number;
  /**
   * The page numbers the document's TOC already prints (from an earlier build
   * of the same document). The first pass is then a full print, and if every
   * heading lands where the TOC says, it is the only one.
   */
  printedPages?: ReadonlyMap<string, number>;
}

export interface RenderedPdf {
  pdf: Uint8Array;
  /** The same PDF already parsed, when a TOC pass had to read it: post-processing need not parse it again. */
  document?: PDFDocument;
  /** Page number of each TOC target in the final PDF. */
  tocPages: Map<string, number>;
  /** Every request the page attempted that was not its own inline data; all of them were refused. */
  blockedRequests: string[];
  /** Milliseconds of each layout pass: the first loads the page and its fonts and prints; later ones update the TOC in place and print. */
  passTimes: number[];
}

/** Tabs already handed out: Chromium starts with one blank tab, which the first render takes instead of opening another. */
const claimed = new WeakSet<Page>();

async function claimPage(browser: Browser): Promise<Page> {
  const blank = (await browser.pages()).find((p) => !claimed.has(p) && p.url() === 'about:blank');
  const page = blank ?? (await browser.newPage());
  claimed.add(page);
  return page;
}

/** Only the document itself and its inline (data:) fonts and images may load; nothing leaves the machine or reads a file. */
function isOwnResource(url: string): boolean {
  return url.startsWith('data:') || url === 'about:blank';
}

/**
 * Prints a self-contained HTML document to PDF in a fresh tab of `browser`,
 * with page scripts disabled and every outside request aborted. When the
 * document has a TOC, Chromium cannot number it (no target-counter()), so:
 * print, read the page of each heading's link destination, write the numbers
 * into the loaded page, print again, until the numbers stop changing.
 */
export async function renderPdf(browser: Browser, html: string, options: RenderOptions = { tocTargets: [] }): Promise<RenderedPdf> {
  const page = await claimPage(browser);
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
    const start = performance.now();
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return { ...(await paginate(page, options, start)), blockedRequests };
  } finally {
    await page.close();
  }
}

async function paginate(page: Page, options: RenderOptions, loadStart: number): Promise<Omit<RenderedPdf, 'blockedRequests'>> {
  const { tocTargets, maxPasses = 5 } = options;
  const passTimes: number[] = [];
  let printed = new Map(options.printedPages);
  let start = loadStart;
  for (let pass = 1; pass <= maxPasses; pass++) {
    // Without known numbers the first print only finds where the headings land: no structure tree or outline needed (faster).
    const full = pass > 1 || tocTargets.length === 0 || options.printedPages !== undefined;
    const pdf = await page.pdf(printOptions(full));
    passTimes.push(performance.now() - start);
    start = performance.now();
    if (tocTargets.length === 0) return { pdf, tocPages: printed, passTimes };

    const parsed = await loadPdf(pdf);
    const found = readDestinationPages(parsed);
    const landed = new Map<string, number>();
    for (const id of tocTargets) {
      const at = found.get(id);
      if (at === undefined) throw new LayoutError(`heading #${id} has no link destination in the PDF`);
      landed.set(id, at);
    }
    if (full && tocTargets.every((id) => printed.get(id) === landed.get(id))) return { pdf, document: parsed, tocPages: landed, passTimes };
    await page.evaluate(writeTocNumbers, tocPageClass, [...landed]);
    printed = landed;
  }
  throw new LayoutError(`the table of contents' page numbers did not settle after ${maxPasses} layout passes`);
}
