import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { recipientInfoKey, stampCopy, stampText } from '../../src/distribute/stamp-copy.ts';
import { stampFontCutter } from '../../src/distribute/stamp-font.ts';

/** A two-page letter as pdf-lib makes it, with an ID as finalize-pdf writes one. */
async function letter(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  // No text of its own: stampCopy refuses any font that letterpress does not bundle.
  for (let n = 0; n < 2; n++) doc.addPage([595.92, 842.88]).drawRectangle({ x: 62, y: 100, width: 470, height: 650, borderWidth: 1 });
  doc.setTitle('Letter');
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of('AB'.repeat(16)), PDFHexString.of('AB'.repeat(16))]);
  return doc.save();
}

async function texts(pdf: Uint8Array): Promise<string[][]> {
  const doc = await getDocument({ data: pdf.slice(), isEvalSupported: false }).promise;
  const pages: string[][] = [];
  for (let n = 1; n <= doc.numPages; n++) pages.push((await (await doc.getPage(n)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')));
  await doc.destroy();
  return pages;
}

describe('stampCopy (no browser: a pdf-lib letter)', () => {
  it('stamps every page with the footer and the watermark, names the recipient in the metadata and gives the copy its own ID', async () => {
    const recipients = [{ id: 'lp-7', name: '欧阳子涵' }, { id: 'lp-8', name: 'Seán' }];
    const cut = await stampFontCutter(recipients.map((r) => stampText(r.name)).join(''));
    const [a, b] = await Promise.all(recipients.map(async (r) => stampCopy(await letter(), r, await cut(stampText(r.name)))));
    const pages = await texts(a!);
    expect(pages).toHaveLength(2);
    for (const page of pages) {
      expect(page).toContain('Prepared for 欧阳子涵');
      expect(page).toContain('欧阳子涵');
      expect(page.join('')).not.toContain('Seán');
    }
    const doc = await PDFDocument.load(a!, { updateMetadata: false });
    const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
    expect(info.lookup(PDFName.of(recipientInfoKey), PDFHexString).decodeText()).toBe('lp-7');
    expect(doc.getSubject()).toBe('Letter (prepared for lp-7)');
    const ids = (bytes: Uint8Array) =>
      PDFDocument.load(bytes, { updateMetadata: false }).then((d) => (d.context.trailerInfo.ID as PDFArray).asArray().map((x) => (x as PDFHexString).asString()));
    const [idA, idB] = await Promise.all([ids(a!), ids(b!)]);
    expect(idA[0]).toBe('AB'.repeat(16));
    expect(idA[0]).toBe(idB[0]);
    expect(idA[1]).not.toBe(idB[1]);
  });
});
