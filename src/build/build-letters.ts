import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { VFile } from 'vfile';
import { renderDocument, type Paper } from '../html/render-document.ts';
import { letterSlug, loadLetters } from '../load/load-letters.ts';
import { processMarkdown } from '../markdown/process-markdown.ts';
import { withBrowser } from '../pdf/browser.ts';
import { renderPdf } from '../pdf/render-pdf.ts';
import { writeAtomic } from './write-atomic.ts';

export interface BuildOptions {
  paths: string[];
  cwd: string;
  outDir: string;
  paper: Paper;
  htmlOnly: boolean;
  /** One line of progress per stage. */
  log: (line: string) => void;
}

export interface BuiltLetter {
  file: VFile;
  html: string;
  htmlPath: string;
  pdf?: Uint8Array;
  pdfPath?: string;
  blockedRequests: string[];
}

/** Raised when a letter has errors; the files carry the messages, and nothing was written. */
export class ContentError extends Error {
  constructor(readonly files: VFile[]) {
    super('the letters have errors');
  }
}

/** load → markdown → html → pdf → write. Every letter is checked before anything is written. */
export async function buildLetters(options: BuildOptions): Promise<{ files: VFile[]; letters: BuiltLetter[] }> {
  const { log } = options;
  const files = await loadLetters(options.paths, options.cwd);
  log(`load      ${files.length} letter(s): ${files.map((f) => f.path).join(', ')}`);

  const bodies = await Promise.all(files.map((file) => processMarkdown(file)));
  if (files.some((f) => f.messages.some((m) => m.fatal))) throw new ContentError(files);
  log(`markdown  ${files.reduce((n, f) => n + (f.data.headings?.length ?? 0), 0)} heading(s)`);

  const letters: BuiltLetter[] = [];
  for (const [i, file] of files.entries()) {
    const meta = file.data.frontMatter;
    if (!meta) throw new Error(`${file.path}: front matter was not validated`);
    const html = await renderDocument({ bodyHtml: bodies[i] ?? '', meta, source: String(file.value), paper: options.paper });
    letters.push({ file, html, htmlPath: path.join(options.outDir, `${letterSlug(file)}.html`), blockedRequests: [] });
  }
  log(`html      ${letters.map((l) => `${Math.round(l.html.length / 1024)} KB`).join(', ')}`);

  if (!options.htmlOnly) {
    await withBrowser(async (browser) => {
      for (const letter of letters) {
        const rendered = await renderPdf(browser, letter.html);
        letter.pdf = rendered.pdf;
        letter.pdfPath = path.join(options.outDir, `${letterSlug(letter.file)}.pdf`);
        letter.blockedRequests = rendered.blockedRequests;
      }
    });
    log(`pdf       ${letters.map((l) => `${Math.round((l.pdf?.length ?? 0) / 1024)} KB`).join(', ')}`);
  }

  await mkdir(options.outDir, { recursive: true });
  for (const letter of letters) {
    await writeAtomic(letter.htmlPath, letter.html);
    if (letter.pdf && letter.pdfPath) await writeAtomic(letter.pdfPath, letter.pdf);
  }
  log(`write     ${letters.flatMap((l) => [l.htmlPath, l.pdfPath ?? []]).flat().map((p) => path.relative(options.cwd, p)).join(', ')}`);
  return { files, letters };
}
