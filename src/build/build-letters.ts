import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { VFile } from 'vfile';
import type { FrontMatter } from '../config/front-matter-schema.ts';
import type { PageSetup } from '../html/page-css.ts';
import { renderDocument } from '../html/render-document.ts';
import { tocEntries } from '../html/render-toc.ts';
import { letterSlug, loadLetters } from '../load/load-letters.ts';
import { processMarkdown } from '../markdown/process-markdown.ts';
import { startBrowser, type BrowserStart } from '../pdf/browser.ts';
import { renderPdf } from '../pdf/render-pdf.ts';
import { convertToPdfx } from '../postprocess/convert-pdfx.ts';
import { finalizePdf } from '../postprocess/finalize-pdf.ts';
import { letterFiles } from '../postprocess/letter-files.ts';
import { letterpressVersion } from '../version.ts';
import { ContentError } from './content-error.ts';
import { readTocCache, tocCacheKey, writeTocCache } from './toc-cache.ts';
import { writeAtomic } from './write-atomic.ts';

export interface BuildOptions {
  paths: string[];
  cwd: string;
  outDir: string;
  page: PageSetup;
  htmlOnly: boolean;
  /** A Chromium already started by the caller, who closes it (to launch early, or once for several builds); else one is started and closed here. */
  browser?: BrowserStart;
  /** Also write a PDF/X-3 file (print profile only) through Ghostscript. */
  pdfx?: boolean;
  /** Make each PDF a PDF/A-3 file that carries its source (src/postprocess/pdfa.ts). */
  pdfa?: boolean;
  /** One line of progress per stage. */
  log: (line: string) => void;
}

export interface BuiltLetter {
  file: VFile;
  meta: FrontMatter;
  html: string;
  htmlPath: string;
  pdf?: Uint8Array;
  pdfPath?: string;
  pdfx?: Uint8Array;
  pdfxPath?: string;
  /** Heading id → page, as printed in the TOC. */
  tocPages: Map<string, number>;
  blockedRequests: string[];
  /** The Chromium that printed the PDF (`browser.version()`), for the archive's manifest. */
  browserVersion?: string;
}

/** load → markdown → html → pdf (with TOC passes) → post-process → write. Every letter is checked before anything is written. */
export async function buildLetters(options: BuildOptions): Promise<{ files: VFile[]; letters: BuiltLetter[] }> {
  if (options.htmlOnly || options.browser) return runStages(options, options.htmlOnly ? undefined : options.browser);
  // Chromium starts first: its launch overlaps the Markdown and HTML stages.
  const browser = startBrowser();
  try {
    return await runStages(options, browser);
  } finally {
    await browser.close();
  }
}

async function runStages(options: BuildOptions, browser: BrowserStart | undefined): Promise<{ files: VFile[]; letters: BuiltLetter[] }> {
  const { log, page } = options;
  const time = stopwatch();
  const files = await loadLetters(options.paths, options.cwd);
  log(`load      ${files.length} letter(s): ${files.map((f) => f.path).join(', ')} ${time()}`);

  const bodies = await Promise.all(files.map((file) => processMarkdown(file)));
  if (files.some((f) => f.messages.some((m) => m.fatal))) throw new ContentError(files);
  log(`markdown  ${files.reduce((n, f) => n + (f.data.headings?.length ?? 0), 0)} heading(s) ${time()}`);

  const letters: BuiltLetter[] = [];
  for (const [i, file] of files.entries()) {
    const meta = file.data.frontMatter;
    if (!meta) throw new Error(`${file.path}: front matter was not validated`);
    const html = await renderDocument({ bodyHtml: bodies[i] ?? '', meta, headings: file.data.headings ?? [], page });
    letters.push({ file, meta, html, htmlPath: path.join(options.outDir, `${outputStem(file, page)}.html`), tocPages: new Map(), blockedRequests: [] });
  }
  log(`html      ${letters.map((l) => `${Math.round(l.html.length / 1024)} KB`).join(', ')} ${time()}`);

  if (browser) {
    await browser.use(async (browser) => {
      const browserVersion = await browser.version();
      for (const [i, letter] of letters.entries()) {
        const tocTargets = tocEntries(letter.file.data.headings ?? [], letter.meta.toc).map((h) => h.id);
        const render = (tocPages?: ReadonlyMap<string, number>): Promise<string> =>
          renderDocument({ bodyHtml: bodies[i] ?? '', meta: letter.meta, headings: letter.file.data.headings ?? [], page, tocPages });
        const cacheKey = tocCacheKey(letter.html);
        const known = tocTargets.length > 0 ? await readTocCache(cacheKey) : undefined;
        const printedHtml = known ? await render(known) : letter.html;
        const rendered = await renderPdf(browser, printedHtml, { tocTargets, printedPages: known });
        letter.tocPages = rendered.tocPages;
        letter.blockedRequests = rendered.blockedRequests;
        letter.browserVersion = browserVersion;
        log(`pdf       ${letter.file.path}: ${rendered.passTimes.length} pass(es), ${rendered.passTimes.map((t) => `${Math.round(t)} ms`).join(' + ')}`);
        if (tocTargets.length > 0) {
          // The written HTML carries the same page numbers as the PDF's TOC: when the kept numbers held, it is the HTML just printed.
          const held = known !== undefined && tocTargets.every((id) => known.get(id) === rendered.tocPages.get(id));
          letter.html = held ? printedHtml : await render(rendered.tocPages);
          if (!held) await writeTocCache(cacheKey, rendered.tocPages);
        }
        letter.pdf = await finalizePdf({
          pdf: rendered.pdf,
          document: rendered.document,
          meta: letter.meta,
          fingerprint: `${letterpressVersion}\0${page.paper}\0${page.profile}\0${String(letter.file.value)}`,
          browserVersion,
          headingTexts: [letter.meta.title, ...(letter.file.data.headings ?? []).map((h) => h.text)],
          page,
          pdfa: options.pdfa ? await letterFiles(letter.file, page, browserVersion) : undefined,
        });
        letter.pdfPath = path.join(options.outDir, `${outputStem(letter.file, page)}.pdf`);
        if (options.pdfx) {
          letter.pdfx = await convertToPdfx(letter.pdf, letter.meta);
          letter.pdfxPath = path.join(options.outDir, `${letterSlug(letter.file)}.pdfx.pdf`);
        }
      }
    });
    log(`post      ${letters.map((l) => `${Math.round((l.pdf?.length ?? 0) / 1024)} KB`).join(', ')} ${time()}`);
  }

  await mkdir(options.outDir, { recursive: true });
  for (const letter of letters) {
    await writeAtomic(letter.htmlPath, letter.html);
    if (letter.pdf && letter.pdfPath) await writeAtomic(letter.pdfPath, letter.pdf);
    if (letter.pdfx && letter.pdfxPath) await writeAtomic(letter.pdfxPath, letter.pdfx);
  }
  const written = letters.flatMap((l) => [l.htmlPath, l.pdfPath ?? [], l.pdfxPath ?? []].flat());
  log(`write     ${written.map((p) => path.relative(options.cwd, p)).join(', ')} ${time()}`);
  // resourceUsage().maxRSS is in KiB: the whole process's peak, for the benchmark.
  log(`done      peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  return { files, letters };
}

/** Output file name without extension: the letter's slug, marked `.print` for the printer's profile so both can sit side by side. */
function outputStem(file: VFile, page: PageSetup): string {
  return page.profile === 'print' ? `${letterSlug(file)}.print` : letterSlug(file);
}

/** Milliseconds since the previous call, for the progress lines. */
function stopwatch(): () => string {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const ms = Math.round(now - last);
    last = now;
    return `(${ms} ms)`;
  };
}
