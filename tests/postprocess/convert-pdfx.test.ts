import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { FrontMatter } from '../../src/config/front-matter-schema.ts';
import { convertToPdfx } from '../../src/postprocess/convert-pdfx.ts';

const meta: FrontMatter = { title: '信', recipients: 'LP', date: '2024-10', author: '拾象', organisation: '拾象', lang: 'zh-CN', confidentiality: '保密', keywords: [], toc: true };

/** The output intent's OutputConditionIdentifier, as a reader decodes it. */
async function identifier(pdf: Uint8Array): Promise<string | undefined> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const intent = doc.catalog.lookup(PDFName.of('OutputIntents'), PDFArray).lookup(0, PDFDict);
  const value = intent.get(PDFName.of('OutputConditionIdentifier'));
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
}

describe('convertToPdfx', () => {
  it('names US SWOP by default, and the condition asked for otherwise', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]);
    const pdf = await doc.save();
    expect(await identifier(await convertToPdfx(pdf, meta))).toBe('CGATS TR001');
    expect(await identifier(await convertToPdfx(pdf, meta, 'fogra39'))).toBe('FOGRA39');
    expect(await identifier(await convertToPdfx(pdf, meta, 'gracol2006-coated1'))).toBe('CGATS TR 006');
  });
});
