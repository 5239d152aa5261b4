import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTrailer } from '../../src/sign/pdf-revisions.ts';
import { signPdf } from '../../src/sign/sign-pdf.ts';
import { readSigningKey, type SigningKey } from '../../src/sign/signing-key.ts';
import { unsignedLength, verifySignatures } from '../../src/sign/verify-signatures.ts';

let dir: string;
let key: SigningKey;
let plain: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-verify-sig-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-days', '2', '-subj', '/CN=Unit Signer'], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', path.join(dir, 'k.pem'), '-in', path.join(dir, 'c.pem'), '-out', path.join(dir, 'k.p12'), '-passout', 'pass:pw']);
  key = await readSigningKey(path.join(dir, 'k.p12'), 'pw');
  const doc = await PDFDocument.create();
  doc.setTitle('Original');
  doc.addPage([200, 200]).drawText('letter');
  plain = await doc.save();
});

/** An incremental update that redefines the Info dictionary: what an attacker appends to change a signed file. */
function appendInfoChange(pdf: Uint8Array): Buffer {
  const trailer = readTrailer(pdf);
  const info = Number(trailer.info?.split(' ')[0]);
  const start = pdf.length;
  const object = `\n${info} 0 obj\n<< /Title (Changed) >>\nendobj\n`;
  const xref = start + Buffer.byteLength(object);
  const table = `xref\n${info} 1\n${String(start + 1).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${trailer.size} /Root ${trailer.root} /Info ${trailer.info} /Prev ${trailer.startxref} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(object + table, 'latin1')]);
}

describe('verifySignatures', () => {
  it('an unsigned PDF has none; its unsigned length is the whole file', () => {
    expect(verifySignatures(plain)).toEqual([]);
    expect(unsignedLength(plain)).toBe(plain.length);
  });

  it('a signature over the whole file verifies, and marks where the unsigned revision ends', async () => {
    const signed = await signPdf(plain, { key, time: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), reason: 'test' });
    const [report] = verifySignatures(signed);
    expect(report).toMatchObject({ valid: true, signer: 'Unit Signer', selfSigned: true, reason: 'test', time: 'D:20260102030405Z', subFilter: 'ETSI.CAdES.detached' });
    expect(unsignedLength(signed)).toBe(plain.length);
    expect(Buffer.from(signed.subarray(0, plain.length)).equals(Buffer.from(plain))).toBe(true);
  });

  it('an update appended after a signature and signed over again: the first signature no longer covers the file', async () => {
    const first = await signPdf(plain, { key, time: new Date() });
    const changed = appendInfoChange(first);
    // The appended update is a valid PDF revision: qpdf reads the new title.
    await writeFile(path.join(dir, 'changed.pdf'), changed);
    expect(spawnSync('qpdf', ['--show-object=trailer', path.join(dir, 'changed.pdf')], { encoding: 'utf8' }).stdout).toContain('/Prev');
    const second = await signPdf(changed, { key, time: new Date() });
    const [one, two] = verifySignatures(second);
    expect(one?.valid).toBe(false);
    expect(one?.intact).toBe(true);
    expect(one?.problems.join()).toMatch(/^modified after signing: object \d+ \(the document information\) is changed$/);
    expect(two?.valid).toBe(true);
  });

  it('a signature whose byte range leaves out more than its /Contents fails', async () => {
    const signed = Buffer.from(await signPdf(plain, { key, time: new Date() }));
    const text = signed.toString('latin1');
    const at = text.indexOf('/ByteRange [') + '/ByteRange ['.length;
    const [a, b, c, d] = text.slice(at, text.indexOf(']', at)).trim().split(/\s+/).map(Number) as [number, number, number, number];
    // Leave the last 10 bytes of the first range unsigned as well, with the same field width.
    signed.write(`${a} ${b - 10} ${c} ${d}`.padEnd(text.indexOf(']', at) - at), at, 'latin1');
    const [report] = verifySignatures(signed);
    expect(report?.valid).toBe(false);
    expect(report?.problems.join()).toMatch(/does not leave out exactly this signature’s \/Contents/);
  });
});
