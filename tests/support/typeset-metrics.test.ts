import { describe, expect, it } from 'vitest';
import type { Glyph } from './glyphs.ts';
import { bodyLines, measureLines } from './typeset-metrics.ts';

const size = 10.5;
const pitch = size * 1.8;
const left = 62;
const right = left + 30 * size;

/**
 * One line of glyphs as a PDF would hold them: Han a full em wide, Latin and
 * spaces half an em; `stretch` em added after each glyph but the last (as a
 * justified line spreads them), and the line ends at the column's right edge
 * when `full`.
 */
function line(page: number, row: number, text: string, { stretch = 0, full = true } = {}): Glyph[] {
  const chars = [...text];
  const widths = chars.map((c) => (/\p{Script=Han}|[，。：]/u.test(c) ? size : size / 2));
  const natural = widths.reduce((a, b) => a + b, 0);
  const spread = full ? (right - left - natural) / Math.max(chars.length - 1, 1) : stretch * size;
  let x = left;
  const y = 80 + row * pitch;
  return chars.map((c, i) => {
    const glyph: Glyph = { c, font: 'NotoSerifSC-Regular', size, x0: x, x1: x + (widths[i] ?? 0), top: y - size, bottom: y, y: page * 10_000 + y, page };
    x += (widths[i] ?? 0) + spread;
    return glyph;
  });
}

const han = (n: number): string => '国'.repeat(n);

describe('typesetting metrics on glyph boxes', () => {
  it('finds a single-character last line after a full line, and not a two-character one', () => {
    const glyphs = [...line(1, 0, han(30)), ...line(1, 1, han(30)), ...line(1, 2, '实。', { full: false }), ...line(1, 4, han(30)), ...line(1, 5, '果实。', { full: false })];
    const m = measureLines(bodyLines(glyphs));
    expect(m.lonely).toHaveLength(1);
    expect(m.lonely[0]).toContain('“实。”');
  });

  it('counts a justified line stretched when its Han characters stand apart by more than 0.15 em, loose above 0.08 em', () => {
    // 26 Han in 30 em: 4 em spread over 25 gaps is 0.16 em each; 28 in 30: 0.074 em; 27: 0.115 em.
    const glyphs = [...line(1, 0, han(26)), ...line(1, 1, han(28)), ...line(1, 2, han(27)), ...line(1, 3, han(30)), ...line(1, 4, '尾。', { full: false })];
    const m = measureLines(bodyLines(glyphs));
    expect(m.fullLines).toBe(4);
    expect(m.stretched).toHaveLength(1);
    expect(m.stretched[0]).toMatch(/Han gap 0\.16 em/);
    expect(m.loose).toHaveLength(1);
    expect(m.loose[0]).toMatch(/0\.12 em/);
  });

  it('measures a gap between words from ink to ink, across the space glyphs', () => {
    // Two words and one space spread over the whole measure: a gap far over 1 em.
    const glyphs = [...line(1, 0, 'ab cd'), ...line(1, 1, han(30)), ...line(1, 2, han(4), { full: false })];
    const m = measureLines(bodyLines(glyphs));
    expect(m.stretched).toHaveLength(1);
    expect(m.stretched[0]).toMatch(/word gap \d+\.\d+ em/);
  });

  it('finds a last line alone at the top of a page (widow) and a first line alone at the foot of one (orphan)', () => {
    const glyphs = [
      ...[10, 11].flatMap((row) => line(1, row, han(30))),
      ...line(2, 0, han(5), { full: false }),
      ...[2, 3].flatMap((row) => line(2, row, han(30))),
      ...line(2, 4, han(9), { full: false }),
      ...line(2, 6, han(30)),
      ...[0, 1].flatMap((row) => line(3, row, han(30))),
      ...line(3, 2, han(9), { full: false }),
    ];
    const m = measureLines(bodyLines(glyphs));
    expect(m.widows).toEqual(['p2 “国国国国国”']);
    expect(m.orphans).toHaveLength(1);
    expect(m.orphans[0]).toMatch(/^p2 /);
    // A page where no two lines end at one edge shows no column: its lone line is no orphan.
    expect(measureLines(bodyLines(line(1, 40, han(30)).concat(line(2, 0, han(30)), line(2, 1, han(3), { full: false })))).orphans).toEqual([]);
  });
});
