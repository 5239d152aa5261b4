import type { Browser } from 'puppeteer-core';
import type { VFile } from 'vfile';
import { letterRender, parseLetter, printLine, renderLetter, type TocLine } from '../pipeline/build-letter.ts';
import { stopwatch } from '../pipeline/stopwatch.ts';
import { type PageSetup, paperSizes } from '../config/page-setup.ts';
import type { LetterAsset } from '../markdown/vfile-data.ts';
import type { KeptTab } from '../print/print-tab.ts';
import { type RenderOptions, renderPdf } from '../print/render-pdf.ts';
import { keepTocPages, keptTocPages, tocKeys } from '../toc/toc-cache.ts';

export interface PreviewOptions {
  page: PageSetup;
  /** The tab kept between prints of this letter: an edit of the body alone is swapped in, the fonts stay loaded. */
  tab?: KeptTab;
  /** The previous build's TOC numbers, which an edit rarely moves: printed at once, checked like kept ones. */
  tocGuess?: ReadonlyMap<string, number>;
  /** Pages printed on their own first, for the reader's window (see renderPdf's firstLook). */
  firstLook?: RenderOptions['firstLook'];
  log?: (line: string) => void;
}

/** A letter's pages for the screen: Chromium's print, not the letter's PDF. */
export interface LetterPreview {
  file: VFile;
  pdf: Uint8Array;
  toc: TocLine[];
  assets: LetterAsset[];
  timings: { markdown: number; html: number; pdf: number };
}

/**
 * The pages of a letter for the live preview: the print pipeline's render and
 * TOC steps, printed without the structure tree and outline and without
 * post-processing (metadata, tags, bookmarks do not show). The pages are the
 * ones the letter prints as. A letter with errors throws a ContentError.
 */
export async function previewLetter(file: VFile, options: PreviewOptions, browser: Browser): Promise<LetterPreview> {
  const parsed = await parseLetter(file, options.log);
  const letter = letterRender(parsed, { page: options.page });
  // A guess is printed without looking for kept numbers, which are found by the unnumbered document: one render instead of two.
  const guess = letter.entries.length > 0 ? options.tocGuess : undefined;
  const first = await renderLetter(letter, guess, options.log);
  const time = stopwatch();
  const keys = tocKeys(file, options.page, guess ? undefined : first.document, letter.content.versions.fonts);
  const known = guess ?? (await keptTocPages(letter.entries, keys));
  const printed = known && !guess ? await letter.render(known) : first.document;
  const rendered = await renderPdf(browser, printed, {
    tocTargets: letter.entries.map((h) => h.id),
    printedPages: known,
    sheet: paperSizes[options.page.paper],
    tab: options.tab,
    untagged: true,
    firstLook: options.firstLook,
  });
  options.log?.(printLine(file, rendered));
  await keepTocPages(letter.entries, keys, known, rendered.tocPages).kept;
  return { file, pdf: rendered.pdf, toc: letter.toc(rendered.tocPages), assets: letter.content.assets, timings: { markdown: parsed.markdownMs, html: first.ms, pdf: time() } };
}
