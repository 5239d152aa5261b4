import { deflateSync } from 'node:zlib';
import { PDFHexString, PDFString, type PDFContext, type PDFRef } from 'pdf-lib';
import type { CopyFont, StampFace } from './stamp-font.ts';

/** A character's UTF-16 code units in hex, as a ToUnicode map writes them. */
const utf16Hex = (char: string): string => [...Array(char.length).keys()].map((i) => char.charCodeAt(i).toString(16).padStart(4, '0')).join('');
const glyphHex = (glyph: number): string => glyph.toString(16).padStart(4, '0');

/** `text` as the copy's font draws it: two bytes per glyph (Identity-H). */
export function encodeStampText(font: CopyFont, text: string): PDFHexString {
  let hex = '';
  for (const char of text) hex += glyphHex(font.glyphs.get(char) ?? 0);
  return PDFHexString.of(hex);
}

/**
 * The copy's font as PDF objects (PDF 32000-1, 9.7): a Type0 font over a
 * CIDFontType2 with its TrueType file, each glyph's width and a ToUnicode
 * map, so that the stamp's text is copied and searched as written. Written
 * here rather than by pdf-lib's embedder, which parses and shapes with the
 * font for every copy; the streams are compressed with node's zlib.
 */
export function embedStampFont(context: PDFContext, face: StampFace, font: CopyFont): PDFRef {
  const scale = 1000 / face.font.unitsPerEm;
  const { bbox } = face.font;
  const chars = [...font.glyphs].sort(([, a], [, b]) => a - b);
  const fontFile = context.register(context.stream(deflateSync(font.bytes), { Filter: 'FlateDecode', Length1: font.bytes.length }));
  const descriptor = context.register(
    context.obj({
      Type: 'FontDescriptor',
      FontName: font.name,
      Flags: fontFlags(face),
      FontBBox: [bbox.minX, bbox.minY, bbox.maxX, bbox.maxY].map((v) => Math.round(v * scale)),
      ItalicAngle: face.font.italicAngle,
      Ascent: Math.round(face.font.ascent * scale),
      Descent: Math.round(face.font.descent * scale),
      CapHeight: Math.round((face.font.capHeight || face.font.ascent) * scale),
      StemV: 0,
      FontFile2: fontFile,
    }),
  );
  const widths = chars.flatMap(([char, glyph]) => [glyph, [Math.round(face.advance(char) * 1000) / 1000]]);
  const cidFont = context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: font.name,
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      CIDToGIDMap: 'Identity',
      W: widths,
    }),
  );
  const toUnicode = context.register(context.stream(deflateSync(Buffer.from(unicodeMap(chars))), { Filter: 'FlateDecode' }));
  return context.register(context.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: font.name, Encoding: 'Identity-H', DescendantFonts: [cidFont], ToUnicode: toUnicode }));
}

/** The font's flags as pdf-lib derives them: symbolic (not the standard Latin set), and fixed pitch, serif, script or italic as the font says. */
function fontFlags(face: StampFace): number {
  const familyClass = face.font['OS/2']?.sFamilyClass ?? 0;
  return (face.font.post.isFixedPitch ? 1 : 0) | (familyClass >= 1 && familyClass <= 7 ? 2 : 0) | 4 | (familyClass === 10 ? 8 : 0) | (face.font.head.macStyle.italic ? 64 : 0);
}

/** The ToUnicode CMap (PDF 32000-1, 9.10.3): each glyph's character, at most 100 to a bfchar block. */
function unicodeMap(chars: [string, number][]): string {
  const blocks: string[] = [];
  for (let i = 0; i < chars.length; i += 100) {
    const group = chars.slice(i, i + 100);
    blocks.push(`${group.length} beginbfchar\n${group.map(([char, glyph]) => `<${glyphHex(glyph)}> <${utf16Hex(char)}>`).join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <ffff>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}
