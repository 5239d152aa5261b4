import { createHash } from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
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
 * font is cut from that small file (cutStampFont, in the copy's worker), so a
 * copy carries only its own glyphs and no copy reveals the characters of another LP's name.
 */
export async function distributionFont(allText: string): Promise<Uint8Array> {
  if (!stampFace) throw new Error('the bundled fonts have no Noto Sans SC Regular');
  return subsetFace(stampFace, allText);
}

/** The stamp font of one copy: the characters of `text`, cut from the distribution's font. */
export async function cutStampFont(font: Uint8Array, text: string): Promise<StampFont> {
  const chars = [...new Set(text)].sort().join('');
  const bytes = await subsetFont(Buffer.from(font.buffer, font.byteOffset, font.byteLength), chars, { targetFormat: 'sfnt' });
  const digest = createHash('sha256').update(chars).digest();
  // A subset tag is six capital letters (PDF 32000-1, 9.6.4); derived from the characters, so equal input gives equal output.
  const tag = String.fromCharCode(...[...digest.subarray(0, 6)].map((b) => 65 + (b % 26)));
  return { bytes, name: `${tag}+${fontkit.create(bytes).postscriptName}` };
}
