import { execFileSync } from 'node:child_process';

/** One glyph of a PDF as MuPDF reads it: its character, font, size, box and page (1-based). */
export interface Glyph {
  c: string;
  font: string;
  size: number;
  x0: number;
  x1: number;
  /** Top and bottom of the glyph's quad. */
  top: number;
  bottom: number;
  /** Baseline, as an absolute key: page × 10 000 + y (so glyphs sort and compare across pages). */
  y: number;
  page: number;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string): string =>
  s.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => entities[e] ?? '');

/** Every glyph of a PDF with its font and box, read by MuPDF (`mutool draw -F stext`). */
export function readGlyphs(pdf: string): Glyph[] {
  const xml = execFileSync('mutool', ['draw', '-F', 'stext', '-o', '-', pdf], { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const glyphs: Glyph[] = [];
  let font = '';
  let size = 0;
  let page = 0;
  for (const match of xml.matchAll(/<page |<font name="([^"]*)" size="([^"]*)"|<char quad="([^"]*)" x="[^"]*" y="([^"]*)"[^>]* c="([^"]*)"/g)) {
    if (match[0] === '<page ') page++;
    else if (match[1] !== undefined) [font, size] = [match[1], Number(match[2])];
    else {
      const quad = (match[3] ?? '').split(' ').map(Number);
      glyphs.push({
        c: decode(match[5] ?? ''),
        font,
        size,
        x0: quad[0] ?? 0,
        x1: quad[2] ?? 0,
        top: quad[1] ?? 0,
        bottom: quad[5] ?? 0,
        y: page * 10_000 + Number(match[4]),
        page,
      });
    }
  }
  return glyphs;
}
