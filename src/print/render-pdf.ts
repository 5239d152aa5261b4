import type { PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'puppeteer-core';
import { breakParagraphs } from './break-paragraphs.ts';
import { estimateHeadingPages } from './estimate-pages.ts';
import { hyphenationPoints } from './hyphenation.ts';
import { readPageBox } from './page-box.ts';
import { type KeptTab, loadDocument, openPrintTab, type PrintDocument } from './print-tab.ts';
import { tocPageClass, writeTocNumbers } from '../toc/toc-numbers.ts';
import { LayoutError } from './layout-error.ts';
import { loadPdf } from '../pdf/load-pdf.ts';
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
  /**
   * The paper, in points: with it, when no numbers are kept, where the
   * headings land is estimated before the first print (estimate-pages.ts),
   * which is then the only one when the estimate holds.
   */
  sheet?: { width: number; height: number };
  /** A tab kept from the last print of this letter (the live preview): the document is loaded there, and the tab stays open. */
  tab?: KeptTab;
  /** Pages for the screen (the live preview): printed without the structure tree and outline, which look the same. */
  untagged?: boolean;
  /**
   * Pages to print on their own before the whole letter (the live preview: the
   * ones in the reader's window), a Chromium page range such as `3-4`, handed
   * to `show` as soon as they are printed; the whole letter is printed once
   * `show` has resolved. A range the new document does not reach prints nothing early.
   */
  firstLook?: { pages: string; show: (pdf: Uint8Array) => Promise<void> };
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
  /** Whether the first print had the TOC's numbers from an estimate (estimate-pages.ts). */
  estimated: boolean;
}

/**
 * Prints a self-contained HTML document to PDF in a fresh tab of `browser`
 * (or the kept one), with page scripts disabled and every outside request aborted. When the
 * document has a TOC, Chromium cannot number it (no target-counter()), so:
 * print, read the page of each heading's link destination, write the numbers
 * into the loaded page, print again, until the numbers stop changing.
 */
export async function renderPdf(browser: Browser, doc: PrintDocument, options: RenderOptions = { tocTargets: [] }): Promise<RenderedPdf> {
  if (options.tab) {
    const start = performance.now();
    const { page, blocked } = await options.tab.load(browser, doc);
    return { ...(await paginate(page, options, start)), blockedRequests: blocked };
  }
  const { page, blocked } = await openPrintTab(browser);
  const start = performance.now();
  try {
    await loadDocument(page, doc);
    return { ...(await paginate(page, options, start)), blockedRequests: blocked.urls };
  } finally {
    // Not waited for: the PDF is made, and the browser may be closing already.
    page.close().catch(() => undefined);
  }
}

async function paginate(page: Page, options: RenderOptions, loadStart: number): Promise<Omit<RenderedPdf, 'blockedRequests'>> {
  const { tocTargets, maxPasses = 5, firstLook } = options;
  // Lines chosen paragraph by paragraph before anything is printed or measured: every print has them.
  if (options.sheet) await setParagraphs(page, options.sheet);
  // Chromium lays the whole letter out either way, but writes only these pages: a fraction of a long letter's print.
  if (firstLook) {
    const early = await page.pdf({ ...printOptions(false), pageRanges: firstLook.pages }).catch(() => undefined);
    if (early) await firstLook.show(early);
  }
  const passTimes: number[] = [];
  let printed = new Map(options.printedPages);
  // Numbers the first print may already have right: kept ones, or an estimate of where the headings land.
  let guessed = options.printedPages !== undefined;
  let estimated = false;
  if (!guessed && tocTargets.length > 0 && options.sheet) {
    const estimate = await estimateHeadingPages(page, tocTargets, options.sheet);
    if (estimate) {
      await page.evaluate(writeTocNumbers, tocPageClass, [...estimate]);
      printed = estimate;
      guessed = estimated = true;
    }
  }
  let start = loadStart;
  for (let pass = 1; pass <= maxPasses; pass++) {
    // A print with numbers in its TOC may be the last; the first without them only finds where the headings land.
    const final = pass > 1 || guessed;
    // The structure tree and outline, only for a print that may be kept (they double the time of a long letter's print).
    const full = !options.untagged && (final || tocTargets.length === 0);
    const pdf = final || tocTargets.length === 0 ? await page.pdf(printOptions(full)) : await headingsOnly(page, () => page.pdf(printOptions(false)));
    passTimes.push(performance.now() - start);
    start = performance.now();
    if (tocTargets.length === 0) return { pdf, tocPages: printed, passTimes, estimated };

    const parsed = await loadPdf(pdf);
    const found = readDestinationPages(parsed);
    const landed = new Map<string, number>();
    for (const id of tocTargets) {
      const at = found.get(id);
      if (at === undefined) throw new LayoutError(`heading #${id} has no link destination in the PDF`);
      landed.set(id, at);
    }
    if (final && tocTargets.every((id) => printed.get(id) === landed.get(id))) return { pdf, document: parsed, tocPages: landed, passTimes, estimated };
    await page.evaluate(writeTocNumbers, tocPageClass, [...landed]);
    printed = landed;
  }
  throw new LayoutError(`the table of contents' page numbers did not settle after ${maxPasses} layout passes`);
}

/**
 * Only the headings painted (visibility keeps the layout as it is), for a
 * print that is there to find where they land: Chromium writes a tenth of the
 * PDF, in half the time, with the same destinations.
 */
const headingsOnlyCss = 'body * { visibility: hidden !important; } :is(h1, h2, h3, h4, h5, h6)[id] { visibility: visible !important; }';

async function headingsOnly<T>(page: Page, print: () => Promise<T>): Promise<T> {
  await page.evaluate((css) => {
    const style = document.createElement('style');
    style.dataset.letterpressProbe = '';
    style.textContent = css;
    document.head.append(style);
  }, headingsOnlyCss);
  try {
    return await print();
  } finally {
    await page.evaluate(() => document.querySelector('style[data-letterpress-probe]')?.remove());
  }
}

/** The letter's justified paragraphs set on lines chosen for each as a whole (break-paragraphs.ts), in the width of its pages. */
export async function setParagraphs(page: Page, sheet: { width: number; height: number }): Promise<void> {
  await page.emulateMediaType('print');
  try {
    // CSS pixels are 96 to the inch, points 72.
    const box = await page.evaluate(readPageBox, (sheet.width * 96) / 72, (sheet.height * 96) / 72);
    if (!box) return;
    const words = await page.evaluate(() => document.querySelector('.letter-body')?.textContent ?? '');
    await page.evaluate(breakParagraphs, box.width, hyphenationPoints(words));
  } finally {
    await page.emulateMediaType();
  }
}
