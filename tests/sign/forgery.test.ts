import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTrailer } from '../../src/sign/pdf-revisions.ts';
import { signPdf } from '../../src/sign/sign-pdf.ts';
import { readSigningKey, type SigningKey } from '../../src/sign/signing-key.ts';
import { verifySignatures } from '../../src/sign/verify-signatures.ts';
import { appendUpdate, type UpdateForm, type UpdateObject } from '../support/pdf-update.ts';

/**
 * Attacks on signed letters: each makes a file that a reader would see
 * differently from what the fund signed, or that carries bytes dressed as a
 * signature. None may verify.
 */

let dir: string;
let fund: SigningKey;
let impostor: SigningKey;
let signed: Buffer;

async function makeKey(name: string, subject: string): Promise<SigningKey> {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, `${name}.pem`), '-out', path.join(dir, `${name}.crt`), '-days', '30', '-subj', subject], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', path.join(dir, `${name}.pem`), '-in', path.join(dir, `${name}.crt`), '-out', path.join(dir, `${name}.p12`), '-passout', 'pass:pw']);
  return readSigningKey(path.join(dir, `${name}.p12`), 'pw');
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-forgery-'));
  // Two keys with the same name: the fund's, and one anybody can make.
  fund = await makeKey('fund', '/CN=Shixiang IR/O=Shixiang');
  impostor = await makeKey('impostor', '/CN=Shixiang IR/O=Shixiang');
  const doc = await PDFDocument.create();
  doc.setTitle('Letter to LPs');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([300, 300]).drawText('Net asset value 1.23', { x: 20, y: 200, font, size: 14 });
  doc.addPage([300, 300]).drawText('Page two', { x: 20, y: 200, font, size: 14 });
  signed = Buffer.from(await signPdf(await doc.save(), { key: fund, time: new Date(Date.UTC(2026, 0, 2)) }));
  // Two RSA keys from openssl: seconds on a busy machine.
}, 60_000);

/** Object numbers of the signed file as a reader resolves them. */
async function numbers(pdf: Uint8Array): Promise<{ doc: PDFDocument; page: (i: number) => { ref: PDFRef; dict: PDFDict }; size: number; fontName: string }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const page = (i: number) => {
    const p = doc.getPage(i);
    return { ref: p.ref, dict: p.node };
  };
  const fonts = doc.getPage(0).node.Resources()?.lookup(PDFName.of('Font'), PDFDict);
  return { doc, page, size: readTrailer(pdf).size, fontName: fonts?.keys()[0]?.decodeText() ?? 'F1' };
}

/** The update an attacker appends: page 1 shows other words. */
async function replacePageOne(pdf: Buffer, form: UpdateForm = 'table'): Promise<Buffer> {
  const { page, size, fontName } = await numbers(pdf);
  const { ref, dict } = page(0);
  const forged = dict.clone();
  forged.set(PDFName.of('Contents'), PDFRef.of(size));
  const content = `BT /${fontName} 14 Tf 20 200 Td (Net asset value 9.87) Tj ET`;
  if (form === 'objstm') {
    // An object stream holds no streams: the new contents go in the open, the page inside the object stream.
    const withContents = appendUpdate(pdf, [{ number: size, body: { dict: '<< >>', data: Buffer.from(content) } }], { form: 'stream' });
    return appendUpdate(withContents, [{ number: ref.objectNumber, body: forged.toString() }], { form: 'objstm' });
  }
  return appendUpdate(pdf, [
    { number: ref.objectNumber, body: forged.toString() },
    { number: size, body: { dict: '<< >>', data: Buffer.from(content) } },
  ], { form });
}

/** An update adding a signature field (object `size`, made by `objects`) to the form and to page `index`'s annotations. */
async function addSignatureField(pdf: Buffer, index: number, objects: (page: string, size: number) => UpdateObject[]): Promise<Buffer> {
  const { doc, page, size } = await numbers(pdf);
  const form = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict).clone();
  const fields = form.lookup(PDFName.of('Fields'), PDFArray);
  form.set(PDFName.of('Fields'), doc.context.obj([...fields.asArray(), PDFRef.of(size)]));
  const catalog = doc.catalog.clone();
  catalog.set(PDFName.of('AcroForm'), form);
  const { ref, dict } = page(index);
  const withWidget = dict.clone();
  const annots = dict.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? [];
  withWidget.set(PDFName.of('Annots'), doc.context.obj([...annots, PDFRef.of(size)]));
  const rootNumber = Number(readTrailer(pdf).root.split(' ')[0]);
  return appendUpdate(pdf, [{ number: rootNumber, body: catalog.toString() }, { number: ref.objectNumber, body: withWidget.toString() }, ...objects(ref.toString(), size)]);
}

function pdftotext(pdf: Buffer, name: string): string {
  const file = path.join(dir, name);
  execFileSync('sh', ['-c', 'cat > "$1"', 'sh', file], { input: pdf });
  return execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
}

describe('a letter changed after the fund signed it never verifies', () => {
  it('the fund’s own signature verifies, certifies the letter (DocMDP P=2) and names its certificate’s SHA-256', () => {
    const [report] = verifySignatures(signed);
    expect(report).toMatchObject({ valid: true, signer: 'Shixiang IR', certification: 2, modifications: [] });
    const fingerprint = execFileSync('openssl', ['x509', '-in', path.join(dir, 'fund.crt'), '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
    expect(fingerprint.trim()).toBe(`sha256 Fingerprint=${report?.fingerprint}`);
  });

  it('page 1 replaced, then countersigned by an impostor with the fund’s name: the fund’s signature is modified after signing (page 1); the impostor’s fingerprint differs', async () => {
    const forged = Buffer.from(await signPdf(await replacePageOne(signed), { key: impostor, time: new Date() }));
    // The attack is real: a reader shows the attacker's page.
    expect(pdftotext(forged, 'forged.pdf')).toContain('9.87');
    const [first, second] = verifySignatures(forged);
    expect(first).toMatchObject({ intact: true, valid: false, modifiedPages: [1], certification: 2 });
    expect(first?.problems.join()).toMatch(/^modified after signing \(page 1\): page 1’s \/Contents is changed/);
    expect(second).toMatchObject({ valid: true, signer: 'Shixiang IR', certification: undefined });
    expect(second?.fingerprint).not.toBe(first?.fingerprint);
  });

  it('a comment that looks like a signature is no signature: only the fund’s is reported, modified', async () => {
    const changed = await replacePageOne(signed);
    const at = changed.lastIndexOf('startxref');
    const withComment = Buffer.concat([changed.subarray(0, at), Buffer.from('%/ByteRange [0 10 20 30]\n'), changed.subarray(at)]);
    const reports = verifySignatures(withComment);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ valid: false, modifiedPages: [1] });
  });

  it.each(['stream', 'objstm', 'hybrid'] as UpdateForm[])('page 1 replaced in an update written with a %s cross-reference: modified (page 1)', async (form) => {
    const forged = await replacePageOne(signed, form);
    expect(pdftotext(forged, `forged-${form}.pdf`)).toContain('9.87');
    const [report] = verifySignatures(forged);
    expect(report).toMatchObject({ intact: true, valid: false, modifiedPages: [1] });
  });

  it('a page added at the end: the page tree changed, page 3 named', async () => {
    const { doc, size } = await numbers(signed);
    const pagesRef = doc.catalog.get(PDFName.of('Pages')) as PDFRef;
    const pages = doc.catalog.lookup(PDFName.of('Pages'), PDFDict).clone();
    const kids = pages.lookup(PDFName.of('Kids'), PDFArray);
    pages.set(PDFName.of('Kids'), doc.context.obj([...kids.asArray(), PDFRef.of(size)]));
    pages.set(PDFName.of('Count'), doc.context.obj(3));
    const added = appendUpdate(signed, [
      { number: pagesRef.objectNumber, body: pages.toString() },
      { number: size, body: `<< /Type /Page /Parent ${pagesRef.toString()} /MediaBox [0 0 300 300] >>` },
    ]);
    const [report] = verifySignatures(added);
    expect(report).toMatchObject({ valid: false, modifiedPages: [3] });
    expect(report?.problems.join()).toMatch(/page tree is changed \(2 page\(s\) signed, 3 now\)/);
  });

  it('an annotation laid over page 1: modified (page 1)', async () => {
    const { page, size } = await numbers(signed);
    const { ref, dict } = page(0);
    const withAnnot = dict.clone();
    const annots = dict.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? [];
    withAnnot.set(PDFName.of('Annots'), dict.context.obj([...annots, PDFRef.of(size)]));
    const changed = appendUpdate(signed, [
      { number: ref.objectNumber, body: withAnnot.toString() },
      { number: size, body: '<< /Type /Annot /Subtype /FreeText /Rect [0 180 300 230] /Contents (Net asset value 9.87) /DA (/Helv 14 Tf 0 g) >>' },
    ]);
    const [report] = verifySignatures(changed);
    expect(report).toMatchObject({ valid: false, modifiedPages: [1] });
    expect(report?.problems.join()).toMatch(/page 1’s annotations are changed beyond a new signature widget/);
  });

  it('an update that only changes the metadata (the catalog’s /Metadata): modified', async () => {
    const { doc, size } = await numbers(signed);
    const catalog = doc.catalog.clone();
    catalog.set(PDFName.of('Metadata'), PDFRef.of(size));
    const rootNumber = Number(readTrailer(signed).root.split(' ')[0]);
    const changed = appendUpdate(signed, [
      { number: rootNumber, body: catalog.toString() },
      { number: size, body: { dict: '<< /Type /Metadata /Subtype /XML >>', data: Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>') } },
    ]);
    const [report] = verifySignatures(changed);
    expect(report?.valid).toBe(false);
    expect(report?.problems.join()).toMatch(/the document catalog’s \/Metadata is changed/);
  });

  it('a second AcroForm that leaves out the fund’s field: the fund’s signature is still found, and modified', async () => {
    const { doc, size } = await numbers(signed);
    const catalog = doc.catalog.clone();
    catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: [], SigFlags: 3 }));
    const rootNumber = Number(readTrailer(signed).root.split(' ')[0]);
    const changed = appendUpdate(signed, [{ number: rootNumber, body: catalog.toString() }, { number: size, body: '<< >>' }]);
    const reports = verifySignatures(changed);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.valid).toBe(false);
    expect(reports[0]?.problems.join()).toMatch(/the AcroForm’s existing fields are changed/);
  });

  it('a visible signature widget added on page 2 (an appearance that may cover the page): modified', async () => {
    const changed = await addSignatureField(signed, 1, (page, size) => [
      { number: size, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature9) /Rect [0 0 300 300] /F 4 /P ${page} /AP << /N ${size + 1} 0 R >> >>` },
      { number: size + 1, body: { dict: '<< /Type /XObject /Subtype /Form /BBox [0 0 300 300] >>', data: Buffer.from('1 1 1 rg 0 0 300 300 re f') } },
    ]);
    const [report] = verifySignatures(changed);
    expect(report?.valid).toBe(false);
    expect(report?.problems.join()).toMatch(/a later signature adds a visible appearance/);
  });

  it('a second signature that replays the fund’s byte range and /Contents is not a signature of its own', async () => {
    const text = signed.toString('latin1');
    const range = /\/ByteRange\s*\[([^\]]*)\]/.exec(text)?.[1] ?? '';
    const contents = /\/Contents\s*<([0-9A-Fa-f]+)>/.exec(text)?.[1] ?? '';
    const changed = await addSignatureField(signed, 0, (page, size) => [
      { number: size, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature2) /Rect [0 0 0 0] /F 132 /P ${page} /V ${size + 1} 0 R >>` },
      { number: size + 1, body: `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [${range}] /Contents <${contents}> >>` },
    ]);
    const [first, second] = verifySignatures(changed);
    // Adding an invisible signature field is what a later signer does: the fund's signature stands.
    expect(first?.problems).toEqual([]);
    expect(second?.valid).toBe(false);
    expect(second?.problems.join()).toMatch(/does not leave out exactly this signature’s \/Contents/);
  });

  it('a /Prev loop in the cross-reference chain: the file’s structure cannot be followed', () => {
    const update = appendUpdate(signed, [{ number: 1, body: '<< >>' }]);
    // The update's trailer names itself as the previous section; the trailer follows its table, so no offset moves.
    const text = update.toString('latin1');
    const at = text.lastIndexOf('/Prev ');
    const looped = text.slice(0, at) + text.slice(at).replace(/\/Prev \d+/, `/Prev ${readTrailer(update).startxref}`);
    const changed = Buffer.from(looped, 'latin1');
    const [report] = verifySignatures(changed);
    expect(report?.valid).toBe(false);
    expect(report?.problems.join()).toMatch(/the file’s structure cannot be followed: the cross-reference chain loops/);
  });

  it('a truncated file: no signature verifies, and the message says why', () => {
    const [report] = verifySignatures(signed.subarray(0, signed.length - 200));
    expect(report?.valid).toBe(false);
    expect(report?.problems.join()).toMatch(/past its last complete revision \(%%EOF\): truncated/);
  });

  it('a rewrite by another tool (qpdf, object streams): the byte range no longer matches, said once and truly', async () => {
    await writeFile(path.join(dir, 'signed.pdf'), signed);
    spawnSync('qpdf', ['--object-streams=generate', path.join(dir, 'signed.pdf'), path.join(dir, 'rewritten.pdf')]);
    const [report] = verifySignatures(await readFile(path.join(dir, 'rewritten.pdf')));
    expect(report?.valid).toBe(false);
    expect(report?.problems).toHaveLength(1);
    expect(report?.problems[0]).toMatch(/object stream|does not leave out exactly|does not end where a revision/);
  });

  it('an identical redefinition of page 1 changes nothing a reader sees: the signature stands', async () => {
    const { page } = await numbers(signed);
    const { ref, dict } = page(0);
    const [report] = verifySignatures(appendUpdate(signed, [{ number: ref.objectNumber, body: dict.toString() }]));
    expect(report?.valid).toBe(true);
  });

  it('a countersignature by the fund keeps the certification valid; both verify', async () => {
    const twice = await signPdf(signed, { key: fund, time: new Date() });
    const reports = verifySignatures(twice);
    expect(reports.map((r) => [r.valid, r.certification])).toEqual([
      [true, 2],
      [true, undefined],
    ]);
  });
});
