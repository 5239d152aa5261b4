import { PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { readDestinationPages } from '../../src/print/read-destinations.ts';

describe('readDestinationPages', () => {
  it('gives the 1-based page of each named destination, decoding Chromium’s percent-encoded ids', async () => {
    const doc = await PDFDocument.create();
    const pages = [doc.addPage(), doc.addPage(), doc.addPage()];
    const dest = (n: number) => doc.context.obj([pages[n]!.ref, PDFName.of('XYZ'), 0, 800, 0]);
    const dests = doc.context.obj({});
    // “i-闭源模型” as Chromium writes it: the UTF-8 bytes percent-encoded, then #-escaped in the name.
    dests.set(PDFName.of(encodeURIComponent('i-闭源模型')), dest(1));
    dests.set(PDFName.of('plain'), dest(2));
    dests.set(PDFName.of('first'), dest(0));
    doc.catalog.set(PDFName.of('Dests'), dests);
    const parsed = await PDFDocument.load(await doc.save());
    expect(readDestinationPages(parsed)).toEqual(new Map([['i-闭源模型', 2], ['plain', 3], ['first', 1]]));
  });

  it('finds nothing in a PDF without destinations', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    expect(readDestinationPages(await PDFDocument.load(await doc.save()))).toEqual(new Map());
  });
});
