import { PDFArray, PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { paperSizes } from '../../src/config/page-setup.ts';
import { bleed, makePressReady } from '../../src/postprocess/press-ready.ts';

const mm = 72 / 25.4;

async function letterOf(pages: number): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([595.92, 842.88]);
  return doc;
}

describe('makePressReady (on pdf-lib documents)', () => {
  it('adds a blank verso to an odd page count, and none to an even one', async () => {
    const odd = await letterOf(3);
    makePressReady(odd, 'a4');
    expect(odd.getPageCount()).toBe(4);
    const even = await letterOf(4);
    makePressReady(even, 'a4');
    expect(even.getPageCount()).toBe(4);
  });

  it('declares the trim as the paper size and the bleed 3 mm around it, on every page (the added one too)', async () => {
    const doc = await letterOf(3);
    // A link, as Chromium writes one for each TOC entry: the printer's file has none.
    const link = doc.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 10, 10] });
    doc.getPage(0).node.set(PDFName.of('Annots'), doc.context.obj([doc.context.register(link)]));
    makePressReady(doc, 'a4');
    for (const page of doc.getPages()) {
      const trim = page.getTrimBox();
      expect(trim.width).toBeCloseTo(210 * mm, 3);
      expect(trim.height).toBeCloseTo(297 * mm, 3);
      const bleedBox = page.getBleedBox();
      expect(bleedBox.x).toBeCloseTo(trim.x - bleed, 3);
      expect(bleedBox.width).toBeCloseTo(trim.width + 2 * bleed, 3);
      expect(page.getMediaBox().width).toBeGreaterThan(bleedBox.width);
      expect(page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.size() ?? 0).toBe(0);
    }
  });

  it('uses US Letter’s size for letter paper', async () => {
    const doc = await letterOf(2);
    makePressReady(doc, 'letter');
    expect(doc.getPage(0).getTrimBox().width).toBeCloseTo(paperSizes.letter.width, 3);
    expect(doc.getPage(0).getTrimBox().height).toBeCloseTo(11 * 72, 3);
  });
});

describe('a landscape page (a wide table) in the print profile', () => {
  it('is trimmed to the paper turned, not cut to a portrait trim', async () => {
    const { makePressReady } = await import('../../src/postprocess/press-ready.ts');
    const doc = await PDFDocument.create();
    doc.addPage([595.92, 841.92]);
    doc.addPage([841.92, 595.92]);
    makePressReady(doc, 'a4');
    const [portrait, landscape] = doc.getPages().map((p) => p.getTrimBox());
    expect([portrait?.width, portrait?.height]).toEqual([expect.closeTo(210 * mm, 2), expect.closeTo(297 * mm, 2)]);
    expect([landscape?.width, landscape?.height]).toEqual([expect.closeTo(297 * mm, 2), expect.closeTo(210 * mm, 2)]);
  });
});
