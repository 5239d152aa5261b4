import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { figureRun } from './rehype-break-long-words.ts';

/** A cell that holds one figure: an amount, a share count, a percentage, a change (or a dash for none). */
const figure = /^[(（]?[-−+±]?[$¥€£]?\d[\d,.]*(\s?[%‰xX倍])?[)）]?$|^[-–—]$/u;

/** Type sizes (pt) a table steps down through before it is set on a landscape page; 7.5 pt is the floor. */
const tableSizes = [9, 8.5, 8, 7.5] as const;
/**
 * The measure (pt) of a portrait and a landscape page, for the narrower
 * of A4 and US Letter and either profile's margins (22 mm each side, or
 * 19 + 26 mm mirrored), less a little for rounding.
 */
const portraitMeasure = 462;
const landscapeMeasure = 660;
/** At most this many paragraphs between a landscape table and its heading go with them to the landscape page. */
const introBlocks = 3;
/** Each cell's padding, left and right, in em (letter.css: 0.45em each side). */
const cellPadding = 0.9;

/**
 * Fits each GFM table to the page before it is laid out. Columns of figures
 * are marked (`num`: set right-aligned unless the author aligned them, never
 * broken); the width the table needs (figures and words whole, labels not
 * squeezed) is estimated from the bundled Noto Sans SC's advances;
 * and the table is set at the largest of `tableSizes` at which it fits the
 * measure (`table-<size>`). One that does not fit at the floor is set on a
 * landscape page of its own (`wide`, with its heading and introduction); one
 * that does not fit there either is an error at its line.
 */
/**
 * Rows (the header's included) up to which a table is kept on one page. A
 * longer one that does not fit breaks between rows, its header repeated,
 * rather than move whole and leave a third of a page blank.
 */
const shortTable = 6;

export function rehypeTableFit() {
  return (tree: Root, file: VFile): void => {
    visit(tree, 'element', (table, index, parent) => {
      if (table.tagName !== 'table') return;
      const rows: Element[][] = [];
      visit(table, 'element', (row) => {
        if (row.tagName === 'tr') rows.push(row.children.filter((c): c is Element => c.type === 'element' && (c.tagName === 'td' || c.tagName === 'th')));
      });
      const columns = Math.max(0, ...rows.map((r) => r.length));
      // A short table reads as one block: rather moved whole to the next page than split over two.
      if (rows.length <= shortTable) addClass(table, 'table-keep');
      for (let col = 0; col < columns; col++) {
        const cells = rows.map((r) => r[col]).filter((c): c is Element => c !== undefined);
        const body = cells.filter((c) => c.tagName === 'td' && toString(c).trim() !== '');
        if (body.length > 0 && body.every((c) => figure.test(toString(c).trim()))) for (const cell of cells) addClass(cell, 'num');
      }
      // The width the table needs, in em of its type size: every column as wide as its widest cell needs.
      const widths = Array.from({ length: columns }, (_, col) =>
        Math.max(0, ...rows.map((r) => (r[col] ? cellWidth(toString(r[col]), r[col].tagName === 'th') : 0))) + cellPadding,
      );
      const needed = widths.reduce((a, b) => a + b, 0);
      const portrait = tableSizes.find((size) => needed * size <= portraitMeasure);
      if (portrait !== undefined) {
        addClass(table, `table-${String(portrait).replace('.', '-')}`);
        return;
      }
      const floor = tableSizes.at(-1) ?? 7.5;
      if (needed * floor > landscapeMeasure) {
        const message = file.message(
          `table of ${columns} columns is too wide to print: it needs about ${Math.round((needed * floor * 25.4) / 72)} mm at ${floor} pt, a landscape page holds ${Math.round((landscapeMeasure * 25.4) / 72)} mm; split it or shorten its cells`,
          { place: table.position, ruleId: 'table-too-wide', source: 'letterpress' },
        );
        message.fatal = true;
        return;
      }
      const size = tableSizes.find((s) => needed * s <= landscapeMeasure) ?? floor;
      addClass(table, `table-${String(size).replace('.', '-')}`);
      addClass(table, 'wide');
      // The heading that introduces the table, and the few paragraphs between them, go to the landscape page with it
      // rather than end the portrait page before it.
      const before = parent && index !== undefined ? parent.children.slice(0, index).filter((n): n is Element => n.type === 'element') : [];
      const heading = before.findLastIndex((n) => /^h[2-6]$/.test(n.tagName));
      const intro = before.slice(heading);
      if (heading >= 0 && intro.length <= introBlocks + 1 && intro.slice(1).every((n) => /^(p|ul|ol|blockquote)$/.test(n.tagName))) for (const node of intro) addClass(node, 'wide');
    });
  };
}

function addClass(node: Element, name: string): void {
  const current = node.properties.className;
  node.properties.className = [...(Array.isArray(current) ? current : []), name];
}

/** A label column is given at least this many em (or its whole text, if shorter), so it is not squeezed into a narrow stack of lines. */
const labelWidth = 8;
const wide = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/**
 * The width in em a cell needs: its longest piece that cannot break (Latin
 * words and figures are whole, as there is no hyphenation offline; runs of
 * 25 or more characters break anywhere, see rehype-break-long-words), and
 * room for a short label on one line. Advances are Noto Sans SC's, bold for headers.
 */
function cellWidth(text: string, bold: boolean): number {
  const width = (s: string): number => [...s].reduce((w, c) => w + (wide.test(c) ? 1 : /\s/.test(c) ? 0.25 : advance(c)), 0);
  let longest = 0;
  for (const token of text.split(/[\s\p{Script=Han}\u3000-\u303f\uff00-\uffef]+/u)) {
    const breaksAnywhere = [...token].length >= 25 && !figureRun.test(token);
    longest = Math.max(longest, breaksAnywhere ? 2 : width(token));
  }
  return Math.max(longest, Math.min(width(text.trim()), labelWidth)) * (bold ? 1.07 : 1);
}

/** Noto Sans SC's advances (em), by class of character: tabular figures, narrow punctuation, capitals, lower case. */
function advance(c: string): number {
  if (/\d/.test(c)) return 0.555;
  if (/[,.:;'’!|il]/.test(c)) return 0.28;
  if (/[A-Z$€£¥%&@#MW]/.test(c)) return /[MW%@]/.test(c) ? 0.9 : 0.66;
  if (/[a-z]/.test(c)) return /[mw]/.test(c) ? 0.85 : 0.55;
  return 0.6;
}
