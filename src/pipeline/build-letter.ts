import path from 'node:path';
import type { Root as HastRoot } from 'hast';
import type { Browser } from 'puppeteer-core';
import type { VFile } from 'vfile';
import { letterInstant, type FrontMatter } from '../config/front-matter-schema.ts';
import { type PageSetup, paperSizes } from '../config/page-setup.ts';
import { ContentError } from '../common/errors.ts';
import { bundledFaces, prepareFonts } from '../fonts/fonts.ts';
import { letterAlphabet, renderLetterDocument, type LetterDocument } from '../html/render-document.ts';
import { processMarkdown } from '../markdown/process-markdown.ts';
import type { HeadingEntry, LetterAsset } from '../markdown/vfile-data.ts';
import type { KeptTab } from '../print/print-tab.ts';
import { type RenderOptions, renderPdf } from '../print/render-pdf.ts';
import { loadPdf } from '../pdf/load-pdf.ts';
import { checkText } from '../postprocess/check-text.ts';
import { convertToPdfx } from '../postprocess/convert-pdfx.ts';
import type { OutputCondition } from '../config/output-conditions.ts';
import { finalizePdf } from '../postprocess/finalize-pdf.ts';
import { letterFiles } from '../postprocess/letter-files.ts';
import { outlineEntries, tocEntries } from '../toc/render-toc.ts';
import { letterTocKey, readTocCache, tocCacheKey, writeTocCache } from '../toc/toc-cache.ts';
import { letterpressVersion } from '../common/version.ts';
import { stopwatch } from './stopwatch.ts';

/** Everything that changes a letter's bytes besides its source: nothing is read from the environment. */
export interface BuildLetterOptions {
  page: PageSetup;
  /** SOURCE_DATE_EPOCH (seconds) for the PDF's dates; without it, the letter's own date. */
  sourceDateEpoch?: number;
  /** Also make a PDF/X-3 file (print profile) through Ghostscript. */
  pdfx?: boolean;
  /** The printing condition the PDF/X file is made for (default US SWOP). */
  outputCondition?: OutputCondition;
  /** Make the PDF a PDF/A-3 file that carries its source (src/postprocess/pdfa.ts). */
  pdfa?: boolean;
  /** One line of progress per stage. */
  log?: (line: string) => void;
  /** TOC numbers to try when none are kept for this very document (`dev`: the previous build's, which an edit rarely moves); checked like kept ones. Without it, the last build's of the same letter file are tried. */
  tocGuess?: ReadonlyMap<string, number>;
  /** A tab kept between prints of this letter (`dev`): an edit of the body alone is swapped in, the fonts stay loaded. */
  tab?: KeptTab;
  /**
   * Pages to look at (`dev`): Chromium's print without the structure tree and
   * outline, and no post-processing. The pages are the ones the letter prints
   * as; the file is not the letter's PDF.
   */
  preview?: boolean;
  /** Called once the letter needs the browser no more (the last letter of a command: Chromium closes while the PDF is finished). */
  donePrinting?: () => void;
  /** An LP's own copy: the letterhead's recipients line names this recipient instead of the front matter's `recipients`. */
  recipient?: string;
  /** With `preview`: pages printed on their own first, for the reader's window (see renderPdf's firstLook). */
  firstLook?: RenderOptions['firstLook'];
}

/** A TOC line as printed: the heading and the page it stands on (the number in that page's footer). */
export interface TocLine {
  id: string;
  title: string;
  depth: number;
  page: number;
}

/** One letter built in memory; writing it anywhere is the caller's business. */
export interface LetterBuild {
  /** The source, with every diagnostic (warnings: errors throw a ContentError). */
  file: VFile;
  frontMatter: FrontMatter;
  headings: HeadingEntry[];
  /** The TOC's entries with their pages (pages are 0 when no PDF was printed). */
  toc: TocLine[];
  /** Images the letter uses, as read. */
  assets: LetterAsset[];
  /** The standalone HTML (with the TOC's numbers when a PDF was printed); for a preview, the document as printed. */
  html: string;
  /** Present when a browser was given (for a preview, Chromium's pages as printed). */
  pdf?: Uint8Array;
  /** Present when the PDF was finished (not for a preview). */
  pages?: number;
  pdfx?: Uint8Array;
  versions: { letterpress: string; chromium?: string; fonts: string[] };
  /** Milliseconds per stage. */
  timings: { markdown: number; html: number; pdf?: number; post?: number };
  diagnostics: VFile['messages'];
}

/** A letter after the Markdown stage: checked, not yet laid out. */
export interface ParsedLetter {
  file: VFile;
  body: HastRoot;
  markdownMs: number;
}

/** The Markdown stage alone: problems are left on `file.messages`, so that several letters can be checked before any is printed. */
export async function parseLetter(file: VFile, log?: (line: string) => void): Promise<ParsedLetter> {
  const start = performance.now();
  // The font subsets are cut on the other core meanwhile (a first build of a letter cuts them all).
  void letterAlphabet(String(file.value), file.data.house).then(prepareFonts, () => undefined);
  const body = await processMarkdown(file);
  const markdownMs = performance.now() - start;
  log?.(`markdown  ${file.path}: ${file.data.headings?.length ?? 0} heading(s) (${Math.round(markdownMs)} ms)`);
  return { file, body, markdownMs };
}

export function hasErrors(file: VFile): boolean {
  return file.messages.some((m) => m.fatal);
}

/**
 * The whole pipeline for one letter, in memory: markdown → html → pdf (with
 * its TOC passes) → post-processing. Without a browser it stops at the HTML.
 * A letter with errors throws a ContentError carrying its messages.
 */
export async function buildLetter(file: VFile, options: BuildLetterOptions, browser?: Browser): Promise<LetterBuild> {
  return layOutLetter(await parseLetter(file, options.log), options, browser);
}

/** The stages after the Markdown one, for a letter `parseLetter` has read. */
export async function layOutLetter(parsed: ParsedLetter, options: BuildLetterOptions, browser?: Browser): Promise<LetterBuild> {
  const { file, body } = parsed;
  const { page } = options;
  const meta = file.data.frontMatter;
  if (hasErrors(file) || !meta) throw new ContentError([file]);
  const headings = file.data.headings ?? [];
  const entries = tocEntries(headings, meta.toc);
  const shown = options.recipient === undefined ? meta : { ...meta, recipients: options.recipient };
  const render = (tocPages?: ReadonlyMap<string, number>): Promise<LetterDocument> => renderLetterDocument({ source: String(file.value), body, meta: shown, headings, page, tocPages, house: file.data.house });
  const time = stopwatch();

  // A preview's guess is printed without looking for kept numbers, which are found by the unnumbered document: one render instead of two.
  const guess = browser && options.preview && entries.length > 0 ? options.tocGuess : undefined;
  const first = await render(guess);
  const htmlMs = time();
  options.log?.(`html      ${file.path}: ${Math.round(first.fontless.length / 1024)} KB, its fonts to follow (${Math.round(htmlMs)} ms)`);
  const result: Omit<LetterBuild, 'html'> = {
    file,
    frontMatter: meta,
    headings,
    toc: entries.map((h) => ({ id: h.id, title: h.text, depth: h.depth, page: 0 })),
    assets: file.data.assets ?? [],
    versions: { letterpress: letterpressVersion, fonts: [...new Set(bundledFaces.map((f) => f.source))] },
    timings: { markdown: parsed.markdownMs, html: htmlMs },
    diagnostics: file.messages,
  };
  if (!browser) return { ...result, html: await first.file() };

  // The TOC's numbers from the last build of this very document (like LaTeX's .aux): usually one pass instead of two.
  const cacheKey = guess ? undefined : tocCacheKey(`${first.fontless}\0${result.versions.fonts.join('\0')}`);
  const letterKey = file.path ? letterTocKey(path.resolve(file.cwd, file.path), page) : undefined;
  const readKept = async (key: string | undefined) => (key ? readTocCache(key) : undefined);
  const known = guess ?? (entries.length > 0 ? ((await readKept(cacheKey)) ?? options.tocGuess ?? (await readKept(letterKey))) : undefined);
  const printed = known && !guess ? await render(known) : first;
  // Asked now, answered while Chromium prints (a print that fails, or Ctrl-C, makes its failure the one reported).
  const chromiumVersion = browser.version();
  chromiumVersion.catch(() => undefined);
  // Chromium loads the document while the last of its fonts are cut.
  const rendered = await renderPdf(browser, printed, {
    tocTargets: entries.map((h) => h.id),
    printedPages: known,
    sheet: paperSizes[page.paper],
    tab: options.tab,
    untagged: options.preview,
    firstLook: options.preview ? options.firstLook : undefined,
  });
  const chromium = await chromiumVersion;
  options.donePrinting?.();
  const from = rendered.estimated ? ' from estimated pages' : '';
  options.log?.(`pdf       ${file.path}: ${rendered.passTimes.length} pass(es)${from}, ${rendered.passTimes.map((t) => `${Math.round(t)} ms`).join(' + ')}`);
  // The HTML carries the same page numbers as the PDF's TOC: when the kept numbers held, it is the document just printed.
  const moved = entries.length > 0 && !entries.every((h) => known?.get(h.id) === rendered.tocPages.get(h.id));
  const numbered = moved ? render(rendered.tocPages) : Promise.resolve(printed);
  // The numbers are kept for the next build while this one is finished (and waited for before it returns).
  const kept = moved ? Promise.all([cacheKey, letterKey].map((key) => key && writeTocCache(key, rendered.tocPages))) : Promise.resolve([]);
  for (const pending of [numbered, kept]) pending.catch(() => undefined);
  result.timings.pdf = time();
  result.versions.chromium = chromium;
  result.toc = result.toc.map((line) => ({ ...line, page: rendered.tocPages.get(line.id) ?? 0 }));
  if (options.preview) {
    const html = await (await numbered).print();
    await kept;
    return { ...result, pdf: rendered.pdf, html };
  }
  // Its fonts are made WOFF while the PDF is finished.
  const html = numbered.then((doc) => doc.file());
  html.catch(() => undefined);

  // Every word of the source is on the printed pages, or the letter is not written.
  const document = rendered.document ?? (await loadPdf(rendered.pdf));
  checkText(document, file);
  if (hasErrors(file)) throw new ContentError([file]);
  const final = await finalizePdf({
    pdf: rendered.pdf,
    document,
    meta,
    fingerprint: `${letterpressVersion}\0${page.paper}\0${page.profile}\0${String(file.value)}`,
    browserVersion: chromium,
    outline: { title: meta.title, headings, keep: new Set(outlineEntries(headings, meta.toc).map((h) => h.id)) },
    page,
    date: options.sourceDateEpoch === undefined ? letterInstant(meta.date) : new Date(options.sourceDateEpoch * 1000),
    pdfa: options.pdfa ? await letterFiles(file, page, chromium, options.sourceDateEpoch) : undefined,
  });
  const pdfx = options.pdfx ? await convertToPdfx(final.pdf, meta, options.outputCondition ?? file.data.house?.pdfx) : undefined;
  const built: LetterBuild = { ...result, html: await html, pdf: final.pdf, pages: final.pages, ...(pdfx && { pdfx }) };
  await kept;
  built.timings.post = time();
  return built;
}
