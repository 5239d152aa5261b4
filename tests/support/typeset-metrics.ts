import { type Glyph, readGlyphs } from './glyphs.ts';

/**
 * Line-breaking metrics of a printed letter, measured on its glyphs:
 *
 * - a body line is a baseline with glyphs of the text face (Noto Serif SC or
 *   Noto Serif) at the body size; it is *full* when it reaches the right edge
 *   of the page's text column, and then justified;
 * - its *stretch* is the space justification added: the mean gap between two
 *   adjacent Han characters (set solid, their natural gap is 0) and, between
 *   words, the gap less the space's own advance;
 * - a full line is *stretched* when its mean Han gap exceeds 0.15 em or a gap
 *   between words exceeds 1 em, and *loose* when its stretch exceeds 0.08 em;
 * - a 孤字 is a paragraph's last line holding one character besides punctuation,
 *   after a full line;
 * - a widow is a paragraph's last line alone at the top of a page, an orphan a
 *   paragraph's first line alone at the foot of one.
 */
export interface TypesetMetrics {
  lines: number;
  fullLines: number;
  /** Single-character last lines: page and text of the line before and the line. */
  lonely: string[];
  stretched: string[];
  loose: string[];
  widows: string[];
  orphans: string[];
  /** Mean stretch of the full lines, in em. */
  meanStretch: number;
}

export interface BodyLine {
  page: number;
  /** Baseline (absolute: page × 10 000 + y). */
  y: number;
  size: number;
  glyphs: Glyph[];
  text: string;
  left: number;
  right: number;
  full: boolean;
  /** Mean added gap between adjacent Han characters, in em (undefined without such a pair). */
  hanGap?: number;
  /** Widest gap between two words, in em. */
  wordGap?: number;
  /** Mean space justification added, in em. */
  stretch: number;
}

const han = /\p{Script=Han}/u;
const wordChar = /[\p{L}\p{N}]/u;
const isTextFace = (font: string): boolean => /(^|\+)NotoSerif(SC)?-/.test(font);

/** The most frequent of some numbers, rounded to a tenth. */
function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(Math.round(v * 10) / 10, (counts.get(Math.round(v * 10) / 10) ?? 0) + 1);
  return [...counts].reduce((a, b) => (b[1] > a[1] ? b : a), [0, 0])[0];
}

/** The body lines of a PDF's pages, in reading order, with their justification measured. */
export function bodyLines(glyphs: Glyph[]): BodyLine[] {
  const bodySize = mode(glyphs.filter((g) => isTextFace(g.font) && han.test(g.c)).map((g) => g.size));
  const atBodySize = (g: Glyph): boolean => isTextFace(g.font) && Math.abs(g.size - bodySize) < 0.3;
  const baselines: number[] = [];
  for (const g of glyphs) if (atBodySize(g) && g.c.trim() && g.c !== '•' && !baselines.some((y) => Math.abs(y - g.y) < 1)) baselines.push(g.y);
  baselines.sort((a, b) => a - b);
  const lines: BodyLine[] = baselines.map((y) => {
    // Every glyph on the line, whatever its face (inline code, a note's number): emphasis dots sit below it, a superscript above.
    const on = glyphs
      .filter((g) => Math.abs(g.y - y) < bodySize * 0.45 && g.c !== '•')
      .sort((a, b) => a.x0 - b.x0);
    const ink = on.filter((g) => g.c.trim());
    return {
      page: Math.floor(y / 10_000),
      y,
      size: bodySize,
      glyphs: on,
      text: on.map((g) => g.c).join(''),
      left: Math.min(...ink.map((g) => g.x0)),
      right: Math.max(...ink.map((g) => g.x1)),
      full: false,
      stretch: 0,
    };
  });
  // The text column's right edge on each page: where most of its lines end (a line-end stop may hang past it).
  const edges = new Map<number, number>();
  for (const page of new Set(lines.map((l) => l.page))) {
    const rights = lines.filter((l) => l.page === page).map((l) => l.right);
    const count = (r: number): number => rights.filter((s) => Math.abs(s - r) < 1.5).length;
    const edge = rights.reduce((a, b) => (count(b) > count(a) || (count(b) === count(a) && b > a) ? b : a));
    // A page where no two lines end together (a single line, a landscape page's one paragraph) shows no edge: none of its lines is taken as full.
    edges.set(page, count(edge) >= 2 ? edge : Infinity);
  }
  for (const line of lines) {
    line.full = line.right >= (edges.get(line.page) ?? 0) - 1.5;
    const hanGaps: number[] = [];
    const wordGaps: number[] = [];
    const extras: number[] = [];
    // Chromium writes the space it adds between Han characters as space glyphs: gaps are measured from ink to ink.
    let before: Glyph | undefined;
    let space = 0;
    for (const g of line.glyphs) {
      if (!g.c.trim()) {
        space = Math.max(space, g.x1 - g.x0);
        continue;
      }
      if (before) {
        const gap = (g.x0 - before.x1) / bodySize;
        if (han.test(before.c) && han.test(g.c) && atBodySize(before) && atBodySize(g)) {
          hanGaps.push(gap);
          extras.push(gap);
        } else if (space > 0 && (wordChar.test(before.c) || wordChar.test(g.c))) {
          wordGaps.push(gap);
          extras.push(gap - space / bodySize);
        }
      }
      before = g;
      space = 0;
    }
    if (hanGaps.length > 0) line.hanGap = hanGaps.reduce((a, b) => a + b, 0) / hanGaps.length;
    if (wordGaps.length > 0) line.wordGap = Math.max(...wordGaps);
    line.stretch = extras.length > 0 ? extras.reduce((a, b) => a + b, 0) / extras.length : 0;
  }
  return lines;
}

const excerpt = (line: BodyLine): string => `p${line.page} “${line.text.trim().slice(0, 30)}”`;
const pitchOf = (line: BodyLine): number => line.size * 1.8;

/** Whether `b` continues the paragraph of `a` on the next line of the same page. */
function continues(a: BodyLine, b: BodyLine): boolean {
  return a.page === b.page && Math.abs(b.y - a.y - pitchOf(a)) < 1.2;
}

export function measureLines(lines: BodyLine[]): TypesetMetrics {
  const m: TypesetMetrics = { lines: lines.length, fullLines: 0, lonely: [], stretched: [], loose: [], widows: [], orphans: [], meanStretch: 0 };
  const pageFirst = new Set<BodyLine>();
  const pageLast = new Set<BodyLine>();
  lines.forEach((line, i) => {
    const before = lines[i - 1];
    const after = lines[i + 1];
    if (!before || before.page !== line.page) pageFirst.add(line);
    if (!after || after.page !== line.page) pageLast.add(line);
  });
  let stretch = 0;
  lines.forEach((line, i) => {
    const before = lines[i - 1];
    const after = lines[i + 1];
    // A full line followed by a line of the paragraph is justified; a paragraph's last line is set ragged.
    const lastOfParagraph = !line.full;
    if (line.full && after && (continues(line, after) || (pageLast.has(line) && pageFirst.has(after)))) {
      m.fullLines++;
      stretch += line.stretch;
      if ((line.hanGap ?? 0) > 0.15 || (line.wordGap ?? 0) > 1) m.stretched.push(`${excerpt(line)} (Han gap ${(line.hanGap ?? 0).toFixed(2)} em, word gap ${(line.wordGap ?? 0).toFixed(2)} em)`);
      else if (line.stretch > 0.08) m.loose.push(`${excerpt(line)} (${line.stretch.toFixed(2)} em)`);
    }
    const afterFull = before !== undefined && before.full && (continues(before, line) || (pageFirst.has(line) && pageLast.has(before)));
    if (lastOfParagraph && afterFull && [...line.text.replace(/[\s\p{P}\p{S}]/gu, '')].length === 1) m.lonely.push(`${excerpt(before)} / ${excerpt(line)}`);
    if (lastOfParagraph && afterFull && pageFirst.has(line) && before?.page !== line.page) m.widows.push(excerpt(line));
    const paragraphStart = !afterFull;
    if (paragraphStart && line.full && pageLast.has(line) && after && pageFirst.has(after)) m.orphans.push(excerpt(line));
  });
  m.meanStretch = m.fullLines > 0 ? stretch / m.fullLines : 0;
  return m;
}

/** The line-breaking metrics of a PDF file. */
export function typesetMetrics(pdf: string): TypesetMetrics {
  return measureLines(bodyLines(readGlyphs(pdf)));
}
