import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { prepareLetter } from '../../src/distribute/prepared-letter.ts';
import { defaultHouseStyle, preparedForLine } from '../../src/config/house-style-schema.ts';
import { copyObjects, copyTail, recipientInfoKey, stampCharacters, type CopyRecipient, type StampSetup } from '../../src/distribute/stamp-copy.ts';
import { distributionFont, StampFace } from '../../src/distribute/stamp-font.ts';

/** A two-page letter as pdf-lib makes it, with an ID as finalize-pdf writes one. */
async function letter(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  // No text of its own: only the stamp's font is in the file.
  for (let n = 0; n < 2; n++) doc.addPage([595.92, 842.88]).drawRectangle({ x: 62, y: 100, width: 470, height: 650, borderWidth: 1 });
  doc.setTitle('Letter');
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of('AB'.repeat(16)), PDFHexString.of('AB'.repeat(16))]);
  return doc.save();
}

async function texts(pdf: Uint8Array): Promise<string[][]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false }).promise;
  const pages: string[][] = [];
  for (let n = 1; n <= doc.numPages; n++) pages.push((await (await doc.getPage(n)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')));
  await doc.destroy();
  return pages;
}

const recipients: CopyRecipient[] = [
  { id: 'lp-007', name: '欧阳子涵' },
  { id: 'lp-008', name: 'Seán' },
];

/** The house style's label for a Chinese letter. */
const chinese: StampSetup = { preparedFor: defaultHouseStyle.labels.zh.preparedFor, copy: defaultHouseStyle.labels.zh.copy };

/** Each recipient's copy: the letter's shared bytes, then its own. */
async function copies(setup: StampSetup = chinese): Promise<{ base: Buffer; tails: Buffer[] }> {
  const prepared = await prepareLetter(await letter(), 'pdf');
  const face = await StampFace.of(await distributionFont(recipients.map((r) => stampCharacters(setup, r)).join('')));
  const tails = await Promise.all(
    recipients.map(async (r) => copyTail(prepared, copyObjects(prepared, r, face, await face.cut(stampCharacters(setup, r)), setup, prepared.next), r)),
  );
  return { base: prepared.base, tails };
}

describe('a copy: the letter written once, and each copy’s own objects after it (no browser: a pdf-lib letter)', () => {
  it('stamps every page with the footer, the id and the watermark, names the recipient in the metadata and gives the copy its own ID', async () => {
    const { base, tails } = await copies();
    const [a, b] = tails.map((tail) => Buffer.concat([base, tail]));
    const pages = await texts(a!);
    expect(pages).toHaveLength(2);
    for (const page of pages) {
      expect(page).toContain(preparedForLine(defaultHouseStyle, 'zh-CN', '欧阳子涵'));
      expect(page).toContain('谨呈 欧阳子涵');
      // The digits after the hyphen are the characters themselves (Noto Sans SC's `locl` had made them glyphs with no text and no width).
      expect(page).toContain('副本 lp-007');
      expect(page).toContain('欧阳子涵');
      expect(page.join('')).not.toContain('Seán');
    }
    const doc = await PDFDocument.load(a!, { updateMetadata: false });
    const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
    expect(info.lookup(PDFName.of(recipientInfoKey), PDFHexString).decodeText()).toBe('lp-007');
    expect(doc.getSubject()).toBe('Letter (prepared for lp-007)');
    const ids = (bytes: Uint8Array) =>
      PDFDocument.load(bytes, { updateMetadata: false }).then((d) => (d.context.trailerInfo.ID as PDFArray).asArray().map((x) => (x as PDFHexString).asString()));
    const [idA, idB] = await Promise.all([ids(a!), ids(b!)]);
    expect(idA[0]).toBe('AB'.repeat(16));
    expect(idA[0]).toBe(idB[0]);
    expect(idA[1]).not.toBe(idB[1]);
  });

  it('speaks the letter’s language: an English letter’s copy, or a house style’s own label', async () => {
    const english = await copies({ preparedFor: defaultHouseStyle.labels.en.preparedFor, copy: defaultHouseStyle.labels.en.copy });
    expect((await texts(Buffer.concat([english.base, english.tails[1]!])))[0]).toEqual(expect.arrayContaining(['Prepared for Seán', 'Copy lp-008']));
    const own = await copies({ preparedFor: '呈 {name} 台启', copy: '第 {id} 份' });
    const page = (await texts(Buffer.concat([own.base, own.tails[0]!])))[0]!;
    expect(page).toContain('呈 欧阳子涵 台启');
    expect(page).toContain('第 lp-007 份');
    expect(page.join('')).not.toContain('Prepared');
  });

  it('is one revision that qpdf finds sound: no earlier, unstamped letter to cut it back to', async () => {
    const { base, tails } = await copies();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-stamp-'));
    const file = path.join(dir, 'copy.pdf');
    const bytes = Buffer.concat([base, tails[0]!]);
    await writeFile(file, bytes);
    expect(execFileSync('qpdf', ['--check', file], { encoding: 'utf8' })).toContain('No syntax or stream encoding errors found');
    expect(bytes.toString('latin1').match(/%%EOF/g)).toHaveLength(1);
    // The unstamped pages are not in the file: every page object there has the stamp among its contents.
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    for (const page of doc.getPages()) expect(page.node.Resources()?.lookup(PDFName.of('Font'), PDFDict).has(PDFName.of('LetterpressStamp'))).toBe(true);
  });
});
