import { PDFArray, PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { tagSubsets } from '../../src/postprocess/subset-tags.ts';

/** A Type0 font as Chromium writes one: its CIDFont and descriptor named with Chromium's sequential tag, its program `bytes`. */
function addFont(doc: PDFDocument, chromiumTag: string, bytes: number[]): PDFDict {
  const { context } = doc;
  const name = PDFName.of(`${chromiumTag}+NotoSerifSC-Regular`);
  const program = context.register(context.stream(new Uint8Array(bytes)));
  const descriptor = context.register(context.obj({ Type: 'FontDescriptor', FontName: name, FontFile2: program }));
  const cidFont = context.register(context.obj({ Type: 'Font', Subtype: 'CIDFontType2', BaseFont: name, FontDescriptor: descriptor }));
  const font = context.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: name, DescendantFonts: [cidFont] });
  context.register(font);
  return font;
}

const names = (font: PDFDict): string[] => {
  const cidFont = font.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
  const descriptor = cidFont.lookup(PDFName.of('FontDescriptor'), PDFDict);
  return [font.get(PDFName.of('BaseFont')), cidFont.get(PDFName.of('BaseFont')), descriptor.get(PDFName.of('FontName'))].map(String);
};

describe('subset tags', () => {
  it('tag each subset from its bytes: the same subset alike in any file, different subsets apart', async () => {
    const one = await PDFDocument.create();
    const [a, b] = [addFont(one, 'AAAAAA', [1, 2, 3]), addFont(one, 'BAAAAA', [4, 5, 6])];
    const other = await PDFDocument.create();
    // Another letter, whose first subset (also AAAAAA+ from Chromium) is the same as the first letter's second.
    const c = addFont(other, 'AAAAAA', [4, 5, 6]);
    tagSubsets(one);
    tagSubsets(other);
    const [tagA, tagB, tagC] = [a, b, c].map((font) => names(font));
    for (const tags of [tagA, tagB, tagC]) {
      expect(tags?.[0]).toMatch(/^\/[A-Z]{6}\+NotoSerifSC-Regular$/);
      expect(new Set(tags).size).toBe(1);
    }
    expect(tagA?.[0]).not.toMatch(/^\/[AB]AAAAA\+/);
    expect(tagA?.[0]).not.toBe(tagB?.[0]);
    expect(tagB?.[0]).toBe(tagC?.[0]);
  });
});
