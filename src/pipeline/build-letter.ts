import type { Root as HastRoot } from 'hast';
import type { Browser } from 'puppeteer-core';
import type { VFile } from 'vfile';
import { letterInstant, type FrontMatter } from '../config/front-matter-schema.ts';
import { type PageSetup, paperSizes } from '../config/page-setup.ts';
import { ContentError } from '../common/errors.ts';
import { bundledFaces } from '../fonts/font-faces.ts';
import { prepareFonts } from '../fonts/subset-cache.ts';
import { letterAlphabet, renderLetterDocument, type LetterDocument } from '../html/render-document.ts';
import { processMarkdown } from '../markdown/process-markdown.ts';
import type { HeadingEntry, LetterAsset } from '../markdown/vfile-data.ts';
import { type RenderedPdf, renderPdf } from '../print/render-pdf.ts';
import { loadPdf } from '../pdf/load-pdf.ts';
import { checkText } from '../postprocess/check-text.ts';
import { convertToPdfx } from '../postprocess/convert-pdfx.ts';
import type { OutputCondition } from '../config/output-conditions.ts';
import { finalizePdf } from '../postprocess/finalize-pdf.ts';
import { letterFiles } from '../postprocess/letter-files.ts';
import { outlineEntries, tocEntries } from '../toc/render-toc.ts';
import { keepTocPages, keptTocPages, tocKeys } from '../toc/toc-cache.ts';
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
  /** An LP's own copy: the letterhead's recipients line names this recipient instead of the front matter's `recipients`. */
  recipient?: string;
}

/** A TOC line as printed: the heading and the page it stands on (the number in that page's footer). */
export interface TocLine {
  id: string;
  title: string;
  depth: number;
  page: number;
}

/** A letter laid out as its standalone HTML, not printed (`build --html-only`). */
export interface LetterHtml {
  /** The source, with every diagnostic (warnings: errors throw a ContentError). */
  file: VFile;
  frontMatter: FrontMatter;
  headings: HeadingEntry[];
  /** The TOC's entries with their pages (0 until a PDF is printed). */
  toc: TocLine[];
  /** Images the letter uses, as read. */
  assets: LetterAsset[];
  /** The standalone HTML (with the TOC's numbers once a PDF is printed). */
  html: string;
  versions: { letterpress: string; chromium?: string; fonts: string[] };
  /** Milliseconds per stage. */
  timings: { markdown: number; html: number; pdf?: number; post?: number };
  diagnostics: VFile['messages'];
}

/** One letter built in memory, printed and finished; writing it anywhere is the caller's business. */
export interface LetterBuild extends LetterHtml {
  pdf: Uint8Array;
  pages: number;
  pdfx?: Uint8Array;
  versions: { letterpress: string; chromium: string; fonts: string[] };
  timings: { markdown: number; html: number; pdf: number; post: number };
}

/** A letter after the Markdown stage: checked, not yet laid out. */
export interface ParsedLetter {
  file: VFile;
  body: HastRoot;
  markdownMs: number;
}

/** The Markdown stage alone: problems are left on `file.messages`, so that several letters can be checked before any is printed. */
export async function parseLetter(file: VFile, log?: (line: string) => void, signal?: AbortSignal): Promise<ParsedLetter> {
  const start = performance.now();
  // The font subsets are cut on the other core meanwhile (a first build of a letter cuts them all).
  void letterAlphabet(String(file.value), file.data.house).then(prepareFonts, () => undefined);
  const body = await processMarkdown(file, signal);
  const markdownMs = performance.now() - start;
  log?.(`markdown  ${file.path}: ${file.data.headings?.length ?? 0} heading(s) (${Math.round(markdownMs)} ms)`);
  return { file, body, markdownMs };
}

export function hasErrors(file: VFile): boolean {
  return file.messages.some((m) => m.fatal);
}

/**
 * The render step: a parsed letter, checked, ready to be laid out as its
 * standalone document with the TOC's numbers given (none: unnumbered).
 */
export interface LetterRender {
  file: VFile;
  /** The headings the TOC lists, in order: the targets whose pages it prints. */
  entries: HeadingEntry[];
  render(tocPages?: ReadonlyMap<string, number>): Promise<LetterDocument>;
  /** The TOC's lines with the pages found (0 for a heading not printed). */
  toc(pages?: ReadonlyMap<string, number>): TocLine[];
  /** What a build says of the letter besides its HTML and what printing adds. */
  content: Omit<LetterHtml, 'html' | 'timings' | 'toc'>;
}

/** A letter `parseLetter` has read, ready for the render step; a letter with errors throws a ContentError carrying its messages. */
export function letterRender(parsed: ParsedLetter, options: Pick<BuildLetterOptions, 'page' | 'recipient'>): LetterRender {
  const { file, body } = parsed;
  const meta = file.data.frontMatter;
  if (hasErrors(file) || !meta) throw new ContentError([file]);
  const headings = file.data.headings ?? [];
  const entries = tocEntries(headings, meta.toc);
  const shown = options.recipient === undefined ? meta : { ...meta, recipients: options.recipient };
  return {
    file,
    entries,
    render: (tocPages) => renderLetterDocument({ source: String(file.value), body, meta: shown, headings, page: options.page, tocPages, house: file.data.house }),
    toc: (pages) => entries.map((h) => ({ id: h.id, title: h.text, depth: h.depth, page: pages?.get(h.id) ?? 0 })),
    content: {
      file,
      frontMatter: meta,
      headings,
      assets: file.data.assets ?? [],
      versions: { letterpress: letterpressVersion, fonts: [...new Set(bundledFaces.map((f) => f.source))] },
      diagnostics: file.messages,
    },
  };
}

/** The render step, timed and logged: the letter's document with these TOC numbers. */
export async function renderLetter(letter: LetterRender, tocPages: ReadonlyMap<string, number> | undefined, log?: (line: string) => void): Promise<{ document: LetterDocument; ms: number }> {
  const time = stopwatch();
  const document = await letter.render(tocPages);
  const ms = time();
  log?.(`html      ${letter.file.path}: ${Math.round(document.fontless.length / 1024)} KB, its fonts to follow (${Math.round(ms)} ms)`);
  return { document, ms };
}

/** The print step's line of progress: its passes and their times. */
export function printLine(file: VFile, rendered: RenderedPdf): string {
  const from = rendered.estimated ? ' from estimated pages' : '';
  return `pdf       ${file.path}: ${rendered.passTimes.length} pass(es)${from}, ${rendered.passTimes.map((t) => `${Math.round(t)} ms`).join(' + ')}`;
}

/** markdown → html: the letter as its standalone HTML, not printed (`build --html-only`). */
export async function buildLetterHtml(file: VFile, options: BuildLetterOptions): Promise<LetterHtml> {
  return layOutLetterHtml(await parseLetter(file, options.log), options);
}

/** The HTML stage alone, for a letter `parseLetter` has read. */
export async function layOutLetterHtml(parsed: ParsedLetter, options: BuildLetterOptions): Promise<LetterHtml> {
  const letter = letterRender(parsed, options);
  const { document, ms } = await renderLetter(letter, undefined, options.log);
  return { ...letter.content, toc: letter.toc(), timings: { markdown: parsed.markdownMs, html: ms }, html: await document.file() };
}

/** A letter Chromium has printed, its TOC numbered: what needs the browser is done, post-processing is not. */
export interface PrintedLetter {
  letter: LetterRender;
  rendered: RenderedPdf;
  chromium: string;
  /** The standalone HTML with the TOC's numbers, its fonts made WOFF meanwhile. */
  html: Promise<string>;
  /** The TOC's numbers being kept for the next build. */
  kept: Promise<unknown>;
  timings: { markdown: number; html: number; pdf: number };
  /** Milliseconds since the print ended. */
  since: () => number;
}

/**
 * The whole pipeline for one letter, in memory: markdown → html → pdf (with
 * its TOC passes) → post-processing. A letter with errors throws a
 * ContentError carrying its messages.
 */
export async function buildLetter(file: VFile, options: BuildLetterOptions, browser: Browser): Promise<LetterBuild> {
  return layOutLetter(await parseLetter(file, options.log), options, browser);
}

/** The stages after the Markdown one, for a letter `parseLetter` has read. */
export async function layOutLetter(parsed: ParsedLetter, options: BuildLetterOptions, browser: Browser): Promise<LetterBuild> {
  return finishLetter(await printLetter(parsed, options, browser), options);
}

/** html → pdf: the letter rendered with the TOC numbers kept for it, printed until they hold, and those numbers kept. */
export async function printLetter(parsed: ParsedLetter, options: BuildLetterOptions, browser: Browser): Promise<PrintedLetter> {
  const { page } = options;
  const letter = letterRender(parsed, options);
  const first = await renderLetter(letter, undefined, options.log);
  const time = stopwatch();
  const keys = tocKeys(letter.file, page, first.document, letter.content.versions.fonts);
  const known = await keptTocPages(letter.entries, keys);
  const printed = known ? await letter.render(known) : first.document;
  // Asked now, answered while Chromium prints (a print that fails, or Ctrl-C, makes its failure the one reported).
  const chromiumVersion = browser.version();
  chromiumVersion.catch(() => undefined);
  // Chromium loads the document while the last of its fonts are cut.
  const rendered = await renderPdf(browser, printed, { tocTargets: letter.entries.map((h) => h.id), printedPages: known, sheet: paperSizes[page.paper] });
  const chromium = await chromiumVersion;
  options.log?.(printLine(letter.file, rendered));
  // The HTML carries the same page numbers as the PDF's TOC: when the kept numbers held, it is the document just printed.
  const { moved, kept } = keepTocPages(letter.entries, keys, known, rendered.tocPages);
  const numbered = moved ? letter.render(rendered.tocPages) : Promise.resolve(printed);
  // Its fonts are made WOFF while the PDF is finished.
  const html = numbered.then((doc) => doc.file());
  html.catch(() => undefined);
  return { letter, rendered, chromium, html, kept, timings: { markdown: parsed.markdownMs, html: first.ms, pdf: time() }, since: time };
}

/** postprocess: every word checked on the printed pages, then metadata, outline, structure, PDF/A and PDF/X as asked. */
export async function finishLetter(printed: PrintedLetter, options: BuildLetterOptions): Promise<LetterBuild> {
  const { letter, rendered, chromium } = printed;
  const { file, content } = letter;
  const { page } = options;
  const meta = content.frontMatter;
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
    outline: { title: meta.title, headings: content.headings, keep: new Set(outlineEntries(content.headings, meta.toc).map((h) => h.id)) },
    page,
    date: options.sourceDateEpoch === undefined ? letterInstant(meta.date) : new Date(options.sourceDateEpoch * 1000),
    pdfa: options.pdfa ? await letterFiles(file, page, chromium, options.sourceDateEpoch) : undefined,
  });
  const pdfx = options.pdfx ? await convertToPdfx(final.pdf, meta, options.outputCondition ?? file.data.house?.pdfx) : undefined;
  const html = await printed.html;
  await printed.kept;
  return {
    ...content,
    toc: letter.toc(rendered.tocPages),
    versions: { ...content.versions, chromium },
    timings: { ...printed.timings, post: printed.since() },
    html,
    pdf: final.pdf,
    pages: final.pages,
    ...(pdfx && { pdfx }),
  };
}
