import path from 'node:path';
import type { VFile } from 'vfile';
import type { HouseStyle } from '../config/house-style-schema.ts';
import type { PageSetup } from '../config/page-setup.ts';
import { letterSlug, loadLetters } from '../load/load-letters.ts';
import type { BrowserStart } from '../chromium/browser.ts';
import type { OutputCondition } from '../config/output-conditions.ts';
import { describeFileSystemError, FileSystemError } from '../write/file-system-error.ts';
import { writeTogether, type OutputFile } from '../write/write-together.ts';
import { buildBatch, parseLetters } from './build-batch.ts';
import { layOutLetterHtml, type LetterBuild, type LetterHtml } from './build-letter.ts';
import { stopwatch } from './stopwatch.ts';

export interface BuildOptions {
  paths: string[];
  cwd: string;
  outDir: string;
  page: PageSetup;
  /** SOURCE_DATE_EPOCH (seconds) for the PDFs' dates. */
  sourceDateEpoch?: number;
  /** The Chromium to print with, started by the caller (so its launch overlaps loading); none: write the HTML only. */
  browser?: BrowserStart;
  /** Also write a PDF/X-3 file (print profile only) through Ghostscript. */
  pdfx?: boolean;
  /** The printing condition of the PDF/X file (default US SWOP). */
  outputCondition?: OutputCondition;
  /** Make each PDF a PDF/A-3 file that carries its source. */
  pdfa?: boolean;
  /** The project's shared image folder (default `<cwd>/assets`). */
  assetsDir?: string;
  /** The project's house style (default: the built-in design). */
  house?: HouseStyle;
  /** One line of progress per stage. */
  log: (line: string) => void;
  /** Ctrl-C: checked between stages and before the outputs are committed. */
  signal?: AbortSignal;
}

/**
 * The `build` command: load → markdown (every letter is checked before any is
 * printed) → html → pdf → post-process → write, all outputs of the run at
 * once (writeTogether): a failure leaves every earlier output as it was.
 */
export async function buildLetters(options: BuildOptions): Promise<{ files: VFile[]; letters: (LetterBuild | LetterHtml)[] }> {
  const { log, page, browser } = options;
  const elapsed = stopwatch();
  const time = (): string => `(${Math.round(elapsed())} ms)`;
  const { signal } = options;
  const files = await loadLetters(options.paths, options.cwd, { assetsDir: options.assetsDir, house: options.house });
  signal?.throwIfAborted();
  log(`load      ${files.length} letter(s): ${files.map((f) => f.path).join(', ')} ${time()}`);

  const letterOptions = { page, sourceDateEpoch: options.sourceDateEpoch, pdfx: options.pdfx, outputCondition: options.outputCondition, pdfa: options.pdfa, log, signal };
  const parsedLine = (): void => log(`markdown  ${files.reduce((n, f) => n + (f.data.headings?.length ?? 0), 0)} heading(s) ${time()}`);
  const letters: (LetterBuild | LetterHtml)[] = [];
  if (browser) letters.push(...(await buildBatch(files, browser, { ...letterOptions, onParsed: parsedLine })));
  else {
    const parsed = await parseLetters(files, signal);
    parsedLine();
    for (const letter of parsed) letters.push(await layOutLetterHtml(letter, letterOptions));
  }
  // Each letter logged its html line; the post line times the rest (waiting for Chromium, the passes, post-processing).
  const layout = elapsed();
  const html = letters.reduce((ms, l) => ms + l.timings.html, 0);
  if (browser) log(`post      ${letters.map((l) => `${Math.round(('pdf' in l ? l.pdf.length : 0) / 1024)} KB`).join(', ')} (${Math.round(layout - html)} ms)`);

  const outputs = letters.flatMap((letter) => letterOutputs(letter, options.outDir, page));
  signal?.throwIfAborted();
  await writeTogether(options.outDir, outputs, signal).catch((error: unknown) => {
    const reason = describeFileSystemError(error, options.outDir);
    throw reason === undefined ? error : new FileSystemError(`cannot write the outputs: ${reason}; earlier outputs are unchanged`);
  });
  log(`write     ${outputs.map((o) => path.relative(options.cwd, o.path)).join(', ')} ${time()}`);
  // resourceUsage().maxRSS is in KiB: the whole process's peak, for the benchmark.
  log(`done      peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  return { files, letters };
}

/** The files a built letter is written as: `<slug>.html` and `.pdf` (marked `.print` for the printer's profile, so both can sit side by side), and `<slug>.pdfx.pdf`. */
export function letterOutputs(letter: LetterBuild | LetterHtml, outDir: string, page: PageSetup): OutputFile[] {
  const slug = letterSlug(letter.file);
  const stem = path.join(outDir, page.profile === 'print' ? `${slug}.print` : slug);
  return [
    { path: `${stem}.html`, data: letter.html },
    ...('pdf' in letter ? [{ path: `${stem}.pdf`, data: letter.pdf }] : []),
    ...('pdfx' in letter && letter.pdfx ? [{ path: path.join(outDir, `${slug}.pdfx.pdf`), data: letter.pdfx }] : []),
  ];
}
