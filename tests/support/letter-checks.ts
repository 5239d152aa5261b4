import { execFileSync } from 'node:child_process';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, type PDFObject } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { readLines } from './typography-check.ts';

/** Figures with thousands separators or decimals, as a holdings table holds them. */
const figure = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+/g;
/** Latin words. */
const word = /[A-Za-z]{2,}/g;

const countTokens = (text: string, pattern: RegExp): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const [token] of text.matchAll(pattern)) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
};

/**
 * Tokens of `source` that the PDF holds fewer times whole on one line than the source does: broken across lines.
 */
function brokenTokens(pdfFile: string, source: string, pattern: RegExp, only: (token: string) => boolean): string[] {
  // Front matter and tags (`</br>` in cells) do not print.
  const wanted = countTokens(source.replace(/^---\n[\s\S]*?\n---\n/, '').replace(/<[^>\n]*>/g, ' '), pattern);
  // Words of a line joined with spaces: a token is whole only if it stands inside one line.
  const printed = countTokens(readLines(pdfFile).lines.map((l) => l.words.map((w) => w.text).join(' ')).join('\n'), pattern);
  return [...wanted].filter(([token, n]) => only(token) && (printed.get(token) ?? 0) < n).map(([token]) => token);
}

/**
 * Figures of the letter body that do not appear whole on one line of the PDF:
 * a figure broken across lines ("1,032,852," | "006") shows as two pieces.
 */
export function brokenFigures(pdfFile: string, source: string): string[] {
  return brokenTokens(pdfFile, source, figure, () => true);
}

/** Latin words of the letter's tables that do not appear whole on one line of the PDF ("Underwrit" | "ing"). */
export function brokenTableWords(pdfFile: string, source: string): string[] {
  const rows = source.split('\n').filter((l) => l.startsWith('|'));
  const inTables = new Set(rows.flatMap((l) => l.replace(/<[^>]*>/g, ' ').match(word) ?? []));
  // Counted in the tables' rows only: a word of a table may also stand, broken, in the prose.
  return brokenTokens(pdfFile, rows.join('\n'), word, (token) => inTables.has(token));
}

export interface Bookmark {
  title: string;
  depth: number;
  page: number;
}

/** The PDF's outline, flattened in order, with each item's depth (1 = top) and destination page. */
export async function readBookmarks(data: Uint8Array): Promise<Bookmark[]> {
  const doc = await getDocument({ data: new Uint8Array(data), isEvalSupported: false }).promise;
  const out: Bookmark[] = [];
  type Item = { title: string; dest: unknown; items: Item[] };
  const walk = async (items: Item[] | null, depth: number): Promise<void> => {
    for (const item of items ?? []) {
      const dest = typeof item.dest === 'string' ? await doc.getDestination(item.dest) : (item.dest as unknown[]);
      const page = (await doc.getPageIndex(dest?.[0] as { num: number; gen: number })) + 1;
      out.push({ title: item.title, depth, page });
      await walk(item.items, depth + 1);
    }
  };
  await walk((await doc.getOutline()) as Item[] | null, 1);
  await doc.destroy();
  return out;
}

/**
 * Table rows (`TR` in the tagged PDF's structure tree) whose content lies on
 * more than one page: a row split by a page break. Each is named by its
 * table's number and row's number (1-based) and the pages.
 */
export async function rowsAcrossPages(data: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(data, { updateMetadata: false });
  const pageOf = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i + 1]));
  const kids = (node: PDFDict): PDFObject[] => {
    const k = node.get(PDFName.of('K'));
    const list = k instanceof PDFArray ? k.asArray() : k ? [k] : [];
    return list.map((x) => (x instanceof PDFRef ? doc.context.lookup(x) : x)).filter((x): x is PDFObject => x !== undefined);
  };
  const pagesOf = (node: PDFDict, inherited: number | undefined, out: Set<number>): void => {
    const pg = node.get(PDFName.of('Pg'));
    const page = pg instanceof PDFRef ? pageOf.get(pg.toString()) : inherited;
    for (const kid of kids(node)) {
      if (kid instanceof PDFNumber && page !== undefined) out.add(page);
      else if (kid instanceof PDFDict) pagesOf(kid, page, out);
    }
  };
  const split: string[] = [];
  let tables = 0;
  let row = 0;
  const walk = (node: PDFDict): void => {
    const role = node.get(PDFName.of('S'))?.toString();
    if (role === '/Table') {
      tables++;
      row = 0;
    }
    if (role === '/TR') {
      row++;
      const pages = new Set<number>();
      pagesOf(node, undefined, pages);
      if (pages.size > 1) split.push(`table ${tables} row ${row}: pages ${[...pages].join(', ')}`);
      return;
    }
    for (const kid of kids(node)) if (kid instanceof PDFDict && kid.has(PDFName.of('S'))) walk(kid);
  };
  const root = doc.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict);
  if (!root) throw new Error('the PDF is not tagged: no structure tree to find table rows in');
  for (const kid of kids(root)) if (kid instanceof PDFDict) walk(kid);
  return split;
}

const fullWidthOpening = '（《「『“‘';
const fullWidthClosing = '，。、；：？！）》」』”’';

/**
 * Words that stand outside a page's text area: beyond the left or right
 * margin, or across the top or bottom margin's edge. The running header and
 * footer lie wholly in the top and bottom margins and are not counted. Also
 * reports pages shrunk to fit (Chromium's answer to content wider than the page).
 * Margins in mm (letter.css: 25 top, 22 sides, 24 bottom).
 */
export function outsideTextArea(pdfFile: string, margins = { top: 25, side: 22, bottom: 24 }): string[] {
  const mm = 72 / 25.4;
  const { lines, pages } = readLines(pdfFile);
  const out: string[] = [];
  for (const line of lines) {
    const { width, height } = pages[line.page - 1] ?? { width: 0, height: 0 };
    const inMargin = line.yMax < margins.top * mm || line.yMin > height - margins.bottom * mm;
    for (const word of line.words) {
      const where = `p${line.page} “${word.text}” at x ${word.xMin.toFixed(1)}–${word.xMax.toFixed(1)}, y ${word.yMin.toFixed(1)}–${word.yMax.toFixed(1)}`;
      // Poppler boxes a full-width mark by its full advance; at a line's edge the layout sets it half-width (text-spacing-trim).
      const em = (word.yMax - word.yMin) / 1.44;
      const left = fullWidthOpening.includes(word.text.at(0) ?? '') ? em / 2 : 0;
      const right = fullWidthClosing.includes(word.text.at(-1) ?? '') ? em / 2 : 0;
      if (word.xMin < margins.side * mm - 1 - left || word.xMax > width - margins.side * mm + 1 + right) out.push(where);
      else if (!inMargin && (word.yMin < margins.top * mm - 2 || word.yMax > height - margins.bottom * mm + 2)) out.push(where);
    }
  }
  // Chromium shrinks every page to fit content wider than the page: then no justified line reaches the right margin any more.
  const portrait = lines.filter((l) => (pages[l.page - 1]?.width ?? 0) < (pages[l.page - 1]?.height ?? 0));
  const widest = Math.max(...portrait.map((l) => l.xMax));
  const edge = (pages[0]?.width ?? 0) - margins.side * mm;
  if (portrait.length > 0 && widest < edge - 3) out.push(`no line reaches the right margin (widest ends at ${widest.toFixed(1)} pt, margin at ${edge.toFixed(1)}): the pages were shrunk to fit`);
  return out;
}

/** Each text line of a PDF with the faces and sizes its characters are set in (`mutool draw -F stext`). */
export function styledLines(pdfFile: string): { page: number; text: string; fonts: Set<string>; size: number }[] {
  const xml = execFileSync('mutool', ['draw', '-F', 'stext', '-o', '-', pdfFile], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  const out: { page: number; text: string; fonts: Set<string>; size: number }[] = [];
  xml.split('<page ').slice(1).forEach((page, i) => {
    for (const [, line = ''] of page.matchAll(/<line [^>]*>([\s\S]*?)<\/line>/g)) {
      const fonts = new Set<string>();
      let text = '';
      let size = 0;
      for (const [, name = '', pt = '', chars = ''] of line.matchAll(/<font name="([^"]+)" size="([^"]+)">([\s\S]*?)<\/font>/g)) {
        const run = [...chars.matchAll(/ c="([^"]*)"/g)].map((m) => (m[1] ?? '').replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16))).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")).join('');
        if (run.trim() === '') continue;
        fonts.add(name);
        size = Math.max(size, Number(pt));
        text += run;
      }
      out.push({ page: i + 1, text: text.replace(/\s+/g, ''), fonts, size });
    }
  });
  return out;
}

/**
 * The text block's right edge: where most lines end (to half a point). The
 * most right a line reaches would not do: a line ending in a mark set
 * half-width reaches half an em further in the PDF's glyph widths, though
 * not in ink.
 */
export function commonRight(rights: number[]): number {
  const counts = new Map<number, number>();
  for (const right of rights) {
    const at = Math.round(right * 2) / 2;
    counts.set(at, (counts.get(at) ?? 0) + 1);
  }
  return [...counts].reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0] > a[0]) ? b : a))[0];
}
