import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Glyph, readGlyphs } from '../support/glyphs.ts';
import { pdfFonts } from '../support/pdf.ts';
import { buildFileInProcess, sharedBrowser } from '../support/in-process.ts';
import { projectRoot } from '../support/run-cli.ts';


/** The characters of the first occurrence of `text` (consecutive characters, spaces included). */
function find(chars: Glyph[], text: string): Glyph[] {
  const all = chars.map((ch) => ch.c).join('');
  const at = all.indexOf(text);
  expect(at, `“${text}” in the PDF`).toBeGreaterThanOrEqual(0);
  return chars.slice(at, at + [...text].length);
}

const em = (ch: Glyph): number => (ch.x1 - ch.x0) / ch.size;

const browser = sharedBrowser();

describe('English, emphasis, code, formulas and symbols, measured on the PDF', () => {
  let pdf: string;
  let chars: Glyph[];
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-typesetting-'));
    await cp(path.join(projectRoot, 'tests/fixtures/typesetting'), dir, { recursive: true });
    await browser.use((chromium) => buildFileInProcess(chromium, 'input.md', path.join(dir, 'out'), { cwd: dir }));
    pdf = path.join(dir, 'out', 'input.pdf');
    chars = readGlyphs(pdf);
  });

  it('sets apostrophes and quotes inside English proportionally, and beside Han a full em wide', () => {
    const [, , , , , , , , , apostrophe] = find(chars, 'Berkshire’s “GAAP”');
    const quotes = find(chars, 'Berkshire’s “GAAP”').filter((ch) => '’“”'.includes(ch.c));
    expect(apostrophe?.c).toBe('’');
    for (const mark of quotes) {
      expect(mark.font).toBe('NotoSerif-Regular');
      expect(em(mark)).toBeLessThan(0.5);
    }
    // 所谓的“Mr. Market”只是: the quotes belong to the Chinese sentence.
    const chinese = find(chars, '的“Mr. Market”只').filter((ch) => '“”'.includes(ch.c));
    expect(chinese).toHaveLength(2);
    for (const mark of chinese) {
      expect(mark.font).toBe('NotoSerifSC-Regular');
      expect(em(mark)).toBeGreaterThan(0.9);
    }
  });

  it('sets English in a table, which is sans, in the sans faces, its apostrophe from the sans companion', () => {
    const name = find(chars, 'Moody’s Corp.');
    for (const ch of name.filter((c) => c.c !== ' ')) expect(ch.font, ch.c).toMatch(/NotoSans(SC)?-/);
    expect(name[5]?.font).toMatch(/(^|\+)NotoSans-Regular$/);
  });

  it('sets the Latin part of mixed emphasis in italic without dots, and dots only under Han', () => {
    const latin = find(chars, 'Fig. 1. BTC volatility');
    for (const ch of latin.filter((c) => c.c !== ' ')) expect(ch.font).toBe('NotoSerif-Italic');
    const han = find(chars, '比特币波动率');
    for (const ch of han) expect(ch.font).toBe('NotoSerifSC-Regular');
    // 着重号 are drawn as bullets just below the line: as many as the Han (and digit) of the emphasis, none under the Latin.
    const line = latin[0]?.y ?? 0;
    const dots = chars.filter((ch) => ch.c === '•' && ch.y > line && ch.y < line + 12);
    expect(dots.length).toBeGreaterThanOrEqual(han.length);
    const latinEnd = latin.at(-1)?.x1 ?? 0;
    for (const dot of dots) expect(dot.x0).toBeGreaterThan(latinEnd);
  });

  it('sets code in the bundled monospace face, columns aligned, and wraps a long line under a hanging indent', () => {
    expect(pdfFonts(pdf).map((f) => f.name)).toContainEqual(expect.stringMatching(/^[A-Z]{6}\+NotoSansMono-Regular$/));
    const rows = ['Year   Return', '2021   +12.4%', '2022    -8.1%', '2023   +21.0%'].map((row) => find(chars, row));
    for (const row of rows) for (const ch of row) if (ch.c !== ' ') expect(ch.font).toBe('NotoSansMono-Regular');
    for (let column = 0; column < 13; column++) {
      const xs = rows.map((row) => row[column]?.x0 ?? NaN);
      for (const x of xs) expect(x).toBeCloseTo(xs[0] ?? 0, 2);
    }
    // Chinese in code takes exactly two columns: the column after “名称中文” (8 columns) lines up with the one after “Apple Inc” (9).
    const [code] = find(chars, 'Code');
    const [ticker] = find(chars, 'AAPL');
    expect(code?.x0).toBeCloseTo(ticker?.x0 ?? NaN, 1);
    const long = chars.filter((ch) => ch.font === 'NotoSansMono-Regular' && ch.y >= (find(chars, 'this line is')[0]?.y ?? 0) - 1);
    const lines = [...new Set(long.map((ch) => Math.round(ch.y)))];
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const start = (y: number): number => Math.min(...long.filter((ch) => Math.round(ch.y) === y).map((ch) => ch.x0));
    expect(start(lines[1] ?? 0) - start(lines[0] ?? 0)).toBeGreaterThan(5);
  });

  it('typesets formulas with the bundled KaTeX faces and leaves prices as text', () => {
    const fonts = pdfFonts(pdf).map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(fonts).toEqual(expect.arrayContaining(['KaTeX_Main-Regular', 'KaTeX_Math-Italic']));
    const math = chars.filter((ch) => ch.font.startsWith('KaTeX_'));
    expect(math.map((ch) => ch.c).join('').replace(/\s/g, '')).toMatch(/r=\(1\+g\)/);
    // The display formula is one box: nothing of it (such as the sum's upper limit) is left at the foot of the page before.
    const sum = math.find((ch) => ch.c === '∑');
    const inline = math[0];
    expect(sum && inline).toBeTruthy();
    const page = (ch: Glyph): number => Math.floor(ch.y / 10_000);
    for (const ch of math) if (sum && inline && page(ch) < page(sum)) expect(Math.abs(ch.y - inline.y), `${ch.c} at ${ch.y}`).toBeLessThan(8);
    const text = chars.map((ch) => ch.c).join('').replace(/\s/g, '');
    expect(text).not.toMatch(/\$r|\\frac|\\sum/);
    expect(text).toContain('$100与$200');
  });

  it('prints the symbols of reports from the bundled symbol faces, and embeds nothing else', () => {
    const fontOf = (symbol: string): string => chars.find((ch) => ch.c === symbol)?.font ?? 'missing';
    for (const symbol of '✅❌⚠★→✓✗☐☑▲▼●○■□◆←↑↓↔⇒±×÷≈≠≤≥∞€£¥‰°') expect(fontOf(symbol), symbol).not.toBe('missing');
    expect(fontOf('✅')).toBe('NotoEmoji-Regular');
    expect(fontOf('✓')).toBe('NotoSansSymbols2-Regular');
    expect(fontOf('✗')).toBe('NotoSansSymbols2-Regular');
    for (const font of pdfFonts(pdf)) {
      expect(font.type).toBe('CID TrueType');
      expect(font.name).toMatch(/^[A-Z]{6}\+(NotoS(erif|ans)(SC|Mono|Symbols2?)?|NotoEmoji|KaTeX_\w+)-(Regular|Bold|Italic|BoldItalic)$/);
    }
  });
});
