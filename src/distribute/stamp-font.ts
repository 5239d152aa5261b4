import { createHash } from 'node:crypto';
import fontkit, { type Font } from '@pdf-lib/fontkit';
import subsetFont from 'subset-font';
import type { CodePoints } from '../fonts/font-tables.ts';
import { codePointsOf } from '../fonts/coverage.ts';
import { bundledFaces } from '../fonts/font-faces.ts';
import { subsetFace } from '../fonts/subset-cache.ts';

/** The stamp's face: the sans of the running header and the page numbers. */
const stampFace = bundledFaces.find((f) => f.family === 'Noto Sans SC' && f.weight === 400);

/** The characters a stamp can draw: those of its one face (the symbol faces of the letter's stacks are not in it). */
export function stampCoverage(): Promise<CodePoints> {
  if (!stampFace) throw new Error('the bundled fonts have no Noto Sans SC Regular');
  return codePointsOf(stampFace);
}

export interface StampFont {
  /** TrueType bytes holding just the requested characters (pdf-lib embeds TrueType, not WOFF2). */
  bytes: Uint8Array;
  /** `ABCDEF+NotoSansSC-Regular`: the tagged subset name that PDF readers and check-fonts expect. */
  name: string;
}

/**
 * Per-copy fonts are cut in two steps: the 15 MB face is subset once to every
 * character of the distribution (cached on disk by subsetFace), and each copy's
 * font is cut from that small file (StampFace.cut, in the copy's worker), so a
 * copy carries only its own glyphs and no copy reveals the characters of another LP's name.
 */
export async function distributionFont(allText: string): Promise<Uint8Array> {
  if (!stampFace) throw new Error('the bundled fonts have no Noto Sans SC Regular');
  return subsetFace(stampFace, allText);
}

/** Subset tag: six capital letters (PDF 32000-1, 9.6.4) derived from the characters, so equal input gives equal output. */
function subsetTag(chars: string): string {
  const digest = createHash('sha256').update(chars).digest();
  return String.fromCharCode(...[...digest.subarray(0, 6)].map((b) => 65 + (b % 26)));
}

/** The stamp font of one copy: the characters of `text`, cut from the distribution's font. */
export async function cutStampFont(font: Uint8Array, text: string): Promise<StampFont> {
  const chars = [...new Set(text)].sort().join('');
  const bytes = await subsetFont(Buffer.from(font.buffer, font.byteOffset, font.byteLength), chars, { targetFormat: 'sfnt' });
  return { bytes, name: `${subsetTag(chars)}+${fontkit.create(bytes).postscriptName}` };
}

/** A copy's stamp font as drawn: its bytes and name, and each character's glyph in it. */
export interface CopyFont extends StampFont {
  glyphs: ReadonlyMap<string, number>;
}

/**
 * The distribution's font as a worker holds it: unpacked to TrueType once,
 * its metrics read once. Widths are each character's advance (a stamp is set
 * letter by letter, with no shaping), equal in every copy's cut, so a copy's
 * text is measured without parsing its font; the cut itself is read for its
 * glyph numbers only.
 */
export class StampFace {
  private constructor(
    private readonly sfnt: Buffer,
    readonly font: Font,
  ) {}

  static async of(distribution: Uint8Array): Promise<StampFace> {
    // Every glyph kept: only unpacked from the WOFF the cache holds.
    const sfnt = await subsetFont(Buffer.from(distribution.buffer, distribution.byteOffset, distribution.byteLength), '', { targetFormat: 'sfnt', keepAllGlyphs: true });
    return new StampFace(sfnt, fontkit.create(sfnt));
  }

  private readonly advances = new Map<string, number>();

  /** A character's advance in thousandths of the em (the PDF's glyph space). */
  advance(char: string): number {
    let width = this.advances.get(char);
    if (width === undefined) {
      width = (this.font.glyphForCodePoint(char.codePointAt(0) ?? 0).advanceWidth * 1000) / this.font.unitsPerEm;
      this.advances.set(char, width);
    }
    return width;
  }

  widthOf(text: string, size: number): number {
    let width = 0;
    for (const char of text) width += this.advance(char);
    return (width * size) / 1000;
  }

  /** The height above the baseline at `size`. */
  ascentAt(size: number): number {
    return (this.font.ascent * size) / this.font.unitsPerEm;
  }

  /** The copy's own font: `text`'s characters only, without layout tables (the stamp is not shaped) or hints. */
  async cut(text: string): Promise<CopyFont> {
    const chars = [...new Set(text)].sort().join('');
    const bytes = await subsetFont(this.sfnt, chars, { targetFormat: 'sfnt', keepFeatures: [], noLayoutClosure: true, noHinting: true });
    const cut = fontkit.create(bytes);
    const glyphs = new Map([...chars].map((c) => [c, cut.glyphForCodePoint(c.codePointAt(0) ?? 0).id]));
    return { bytes, name: `${subsetTag(chars)}+${cut.postscriptName}`, glyphs };
  }
}
