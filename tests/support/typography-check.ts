import { execFileSync } from 'node:child_process';

/** clreq: these may not begin a line … */
export const noLineStart = '，。、；：？！）》」』”’…';
/** … and these may not end one. */
export const noLineEnd = '（《「『“‘';

interface Box {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}
interface Word extends Box {
  text: string;
}
interface Line extends Box {
  page: number;
  words: Word[];
  text: string;
}

export interface TypographyReport {
  /** Body lines examined (running header and footer left out). */
  lines: number;
  badStarts: string[];
  badEnds: string[];
  /** Pages whose last body line is a heading. */
  headingsLastOnPage: string[];
  /** Gaps between a Han character and a Latin letter or digit, in em. */
  hanLatinGaps: number[];
  /** Places where a Han character touches a Latin letter or digit with no gap. */
  missingGaps: string[];
}

const attr = (tag: string, name: string): number => Number(new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1]);
const box = (tag: string): Box => ({ xMin: attr(tag, 'xMin'), yMin: attr(tag, 'yMin'), xMax: attr(tag, 'xMax'), yMax: attr(tag, 'yMax') });
const decode = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/**
 * Visual lines with their words and boxes, from poppler's layout (`pdftotext -bbox-layout`; y grows downwards).
 * Poppler cuts a justified line with wide gaps into several "lines"; pieces on one baseline are joined again.
 */
export function readLines(pdfFile: string): { lines: Line[]; pages: { width: number; height: number }[] } {
  const xhtml = execFileSync('pdftotext', ['-bbox-layout', pdfFile, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const lines: Line[] = [];
  const pages: { width: number; height: number }[] = [];
  xhtml.split('<page ').slice(1).forEach((pageXml, index) => {
    pages.push({ width: attr(pageXml, 'width'), height: attr(pageXml, 'height') });
    for (const [, lineTag = '', body = ''] of pageXml.matchAll(/<line ([^>]*)>([\s\S]*?)<\/line>/g)) {
      const words = [...body.matchAll(/<word ([^>]*)>([^<]*)<\/word>/g)].map(([, tag = '', text = '']) => ({ ...box(tag), text: decode(text) }));
      const piece = box(lineTag);
      const same = lines.find((l) => l.page === index + 1 && Math.abs(l.yMax - piece.yMax) < 1 && Math.abs(l.yMin - piece.yMin) < 1);
      if (same) {
        same.words = [...same.words, ...words].sort((a, b) => a.xMin - b.xMin);
        Object.assign(same, { xMin: Math.min(same.xMin, piece.xMin), xMax: Math.max(same.xMax, piece.xMax), text: same.words.map((w) => w.text).join('') });
      } else lines.push({ ...piece, page: index + 1, words, text: words.map((w) => w.text).join('') });
    }
  });
  return { lines, pages };
}

const han = /\p{Script=Han}/u;
const latin = /[A-Za-z0-9]/;
/** Body text is 10.5 pt; poppler's line box is about 1.44 em of the font size. Headings are set at 11.5 pt and up. */
const emOf = (b: Box): number => (b.yMax - b.yMin) / 1.44;
const isHeadingLine = (line: Line): boolean => emOf(line) >= 11.2;

/**
 * The typography check of issue 4, on a real PDF: forbidden punctuation at a
 * line's start or end (clreq), headings stranded at the foot of a page (by
 * size, or by text when `headings` lists them), and the space between Han and
 * Latin letters or digits.
 */
export function checkTypography(pdfFile: string, options: { band?: number; headings?: string[] } = {}): TypographyReport {
  const band = options.band ?? 60;
  const { lines: all, pages: sizes } = readLines(pdfFile);
  // Running header and footer sit in the margins; emphasis dots and footnote references form lines of their own.
  const lines = all.filter((l) => l.yMin > band && l.yMax < (sizes[l.page - 1]?.height ?? 0) - band && !/^[\d•\s]+$/.test(l.text));
  // A heading is known by its size, or by its text when the letter's headings are given (smaller levels are set at body size).
  const squeeze = (t: string): string => t.replace(/\s+/g, '');
  const headingTexts = new Set((options.headings ?? []).map(squeeze));
  const isHeading = (line: Line): boolean => isHeadingLine(line) || headingTexts.has(squeeze(line.text));
  const report: TypographyReport = { lines: lines.length, badStarts: [], badEnds: [], headingsLastOnPage: [], hanLatinGaps: [], missingGaps: [] };
  for (const line of lines) {
    const where = `p${line.page} “${line.text.slice(0, 24)}…”`;
    if (noLineStart.includes(line.text.at(0) ?? '')) report.badStarts.push(where);
    if (noLineEnd.includes(line.text.at(-1) ?? '')) report.badEnds.push(where);
    const em = emOf(line);
    line.words.forEach((word, i) => {
      const chars = [...word.text];
      chars.slice(1).forEach((c, j) => {
        const before = chars[j] ?? '';
        if ((han.test(before) && latin.test(c)) || (latin.test(before) && han.test(c))) report.missingGaps.push(`${where}: ${before}${c}`);
      });
      const next = line.words[i + 1];
      if (!next) return;
      const a = chars.at(-1) ?? '';
      const b = next.text.at(0) ?? '';
      const gap = (next.xMin - word.xMax) / em;
      // A gap of an em or more is not adjacency but a leader, a table column or justification around a long word.
      if (gap < 1 && ((han.test(a) && latin.test(b)) || (latin.test(a) && han.test(b)))) report.hanLatinGaps.push(gap);
    });
  }
  const pages = new Set(lines.map((l) => l.page));
  for (const page of pages) {
    const last = lines.filter((l) => l.page === page).reduce((a, b) => (b.yMax > a.yMax ? b : a));
    if (isHeading(last) && page !== Math.max(...pages)) report.headingsLastOnPage.push(`p${page} “${last.text}”`);
  }
  return report;
}
