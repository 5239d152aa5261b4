import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import { appendUpdate } from '../support/pdf-update.ts';
import { QpdfJson, text, type Dict } from '../support/qpdf-json.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';

const password = 'correct horse';
let dir: string;
let key: string;
const env = (): NodeJS.ProcessEnv => ({ LETTERPRESS_KEY_PASSWORD: password });
const letters = [
  { name: 'memo', source: path.join(projectRoot, 'content/2023-12-llm-observations.md'), pdf: '', signed: '' },
  { name: 'letter with images, tables, notes', source: path.join(projectRoot, 'tests/fixtures/typography/letter/input.md'), pdf: '', signed: '' },
];

/** poppler's own verdict, independent of letterpress. */
function pdfsig(file: string): string {
  const result = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  return result.stdout + result.stderr;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-sign-'));
  // A self-signed RSA 2048 certificate, as a fund without a CA-issued one would make it.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '30', '-subj', '/CN=Shixiang Test Signer/O=Shixiang'], { stdio: 'ignore' });
  key = path.join(dir, 'key.p12');
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', path.join(dir, 'key.pem'), '-in', path.join(dir, 'cert.pem'), '-out', key, '-passout', `pass:${password}`]);
  const built = await runCli(['build', ...letters.map((l) => l.source), '--pdfa', '--out', dir]);
  expect(built.code, built.stderr).toBe(0);
  for (const letter of letters) {
    letter.pdf = path.join(dir, `${path.basename(letter.source, '.md')}.pdf`);
    letter.signed = path.join(dir, `${path.basename(letter.source, '.md')}.signed.pdf`);
    const result = await runCli(['sign', letter.pdf, '--key', key, '--reason', '致有限合伙人函件', '--location', 'Beijing'], { env: env() });
    expect(result.code, result.stderr).toBe(0);
  }
});

describe.each([0, 1])('a signed PDF/A letter (%i)', (index) => {
  const letter = () => letters[index] ?? (undefined as never);

  it('begins with exactly the unsigned bytes: the signature is an incremental update', async () => {
    const unsigned = await readFile(letter().pdf);
    const signed = await readFile(letter().signed);
    expect(signed.length).toBeGreaterThan(unsigned.length);
    expect(signed.subarray(0, unsigned.length).equals(unsigned)).toBe(true);
    expect(execFileSync('qpdf', ['--check', letter().signed], { encoding: 'utf8' })).toContain('No syntax or stream encoding errors');
  });

  it('pdfsig: a valid ETSI.CAdES.detached SHA-256 signature over the whole document; the self-signed issuer is not trusted', () => {
    const out = pdfsig(letter().signed);
    expect(out).toContain('Signer Certificate Common Name: Shixiang Test Signer');
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Signing Hash Algorithm: SHA-256');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Signature Validation: Signature is Valid.');
    // Expected: the test certificate is self-signed, so no trust anchor vouches for it.
    expect(out).toMatch(/Certificate Validation: Certificate issuer isn't Trusted/);
    expect(pdfsig(letter().pdf)).toMatch(/does not contain any signatures/);
  });

  it('letterpress verify reports the signer, the reason and the location', async () => {
    const result = await runCli(['verify', letter().signed]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^valid\s+.*signed by Shixiang Test Signer \(CN=Shixiang Test Signer, O=Shixiang\), \d{4}-\d\d-\d\d .*reason: 致有限合伙人函件, location: Beijing; ETSI\.CAdES\.detached/);
    expect(result.stdout).toContain('self-signed certificate, trust not established');
    const unsigned = await runCli(['verify', letter().pdf]);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stdout).toContain('no signature');
  });

  it('is PAdES B-B: signing-certificate-v2, no CMS signing-time, and openssl verifies the CMS over the byte range', async () => {
    const q = new QpdfJson(letter().signed);
    const sig = [...q.dicts()].map(([, d]) => d).find((d) => d['/Type'] === '/Sig') as Dict;
    expect(sig['/SubFilter']).toBe('/ETSI.CAdES.detached');
    expect(text(sig['/M'])).toMatch(/^D:\d{14}/);
    const range = sig['/ByteRange'] as number[];
    const signed = await readFile(letter().signed);
    expect(range[0]).toBe(0);
    expect((range[2] ?? 0) + (range[3] ?? 0)).toBe(signed.length);
    const cms = Buffer.from(String(sig['/Contents']).slice(2), 'hex');
    await writeFile(path.join(dir, `sig-${index}.der`), cms);
    const printed = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', path.join(dir, `sig-${index}.der`)], { encoding: 'utf8' });
    expect(printed).toMatch(/signingCertificateV2|1\.2\.840\.113549\.1\.9\.16\.2\.47/);
    expect(printed).not.toContain('signingTime');
    expect(printed).toContain('sha256');
    await writeFile(path.join(dir, `range-${index}.bin`), Buffer.concat([signed.subarray(0, range[1]), signed.subarray(range[2])]));
    const verified = spawnSync('openssl', ['cms', '-verify', '-binary', '-noverify', '-inform', 'DER', '-in', path.join(dir, `sig-${index}.der`), '-content', path.join(dir, `range-${index}.bin`), '-out', '/dev/null'], { encoding: 'utf8' });
    expect(verified.stderr).toContain('Verification successful');
  });

  it('keeps PDF/A: XMP, output intent and associated files on the new catalog; the field is printable', () => {
    const before = new QpdfJson(letter().pdf);
    const q = new QpdfJson(letter().signed);
    for (const key of ['/Metadata', '/OutputIntents', '/AF', '/MarkInfo', '/StructTreeRoot', '/Lang']) expect(q.catalog[key], key).toEqual(before.catalog[key]);
    expect(execFileSync('pdfinfo', ['-meta', letter().signed], { encoding: 'utf8' })).toContain('<pdfaid:part>3</pdfaid:part>');
    const form = q.dict(q.catalog['/AcroForm']);
    expect(form['/SigFlags']).toBe(3);
    expect(form['/NeedAppearances']).toBeUndefined();
    const widget = q.dict(q.array(form['/Fields'])[0]);
    expect(widget['/FT']).toBe('/Sig');
    expect(Number(widget['/F']) & 4).toBe(4);
    expect(Number(widget['/F']) & (1 | 2 | 32)).toBe(0);
    // The field is in the structure tree (PDF/UA-1 7.18.4): its parent-tree entry is a Form element holding it.
    const root = q.dict(q.catalog['/StructTreeRoot']);
    const nums = q.array(q.dict(root['/ParentTree'])['/Nums']);
    const entry = nums[nums.indexOf(widget['/StructParent']) + 1];
    const element = q.dict(entry);
    expect(element['/S']).toBe('/Form');
    expect((element['/K'] as Dict)['/Obj']).toBe(q.array(form['/Fields'])[0]);
    expect(root['/ParentTreeNextKey']).toBe(Number(widget['/StructParent']) + 1);
  });

  it('a byte flipped inside the signed range fails letterpress verify and pdfsig', async () => {
    const signed = await readFile(letter().signed);
    const tampered = Buffer.from(signed);
    // Inside the original revision's first half, far from /Contents.
    const at = Math.floor(signed.length / 3);
    tampered[at] = (tampered[at] ?? 0) ^ 0x01;
    const file = path.join(dir, `tampered-${index}.pdf`);
    await writeFile(file, tampered);
    const result = await runCli(['verify', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^INVALID .*the signed bytes changed/m);
    expect(pdfsig(file)).not.toContain('Signature is Valid');
  });
});

describe('signatures beyond the first', () => {
  it('bytes appended after signing, outside any revision, are reported and nothing verifies', async () => {
    const letter = letters[0] ?? (undefined as never);
    const file = path.join(dir, 'appended.pdf');
    await writeFile(file, Buffer.concat([await readFile(letter.signed), Buffer.from('\n1000 0 obj\n(changed) \nendobj\n')]));
    const result = await runCli(['verify', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^INVALID .*bytes past its last complete revision \(%%EOF\): truncated, or bytes added outside any revision/m);
  });

  it('the memo with page 1 replaced and countersigned by an impostor with the fund’s name: MODIFIED (page 1), exit 1; fingerprints tell the keys apart', async () => {
    const letter = letters[0] ?? (undefined as never);
    const signed = await readFile(letter.signed);
    const doc = await PDFDocument.load(signed, { updateMetadata: false });
    const page = doc.getPage(0);
    const forgedPage = page.node.clone();
    const size = Number(/\/Size (\d+)/.exec(execFileSync('qpdf', ['--show-object=trailer', letter.signed], { encoding: 'utf8' }))?.[1]);
    forgedPage.set(PDFName.of('Contents'), PDFRef.of(size));
    const forged = path.join(dir, 'forged-memo.pdf');
    await writeFile(forged, appendUpdate(signed, [
      { number: page.ref.objectNumber, body: forgedPage.toString() },
      { number: size, body: { dict: '<< >>', data: Buffer.from('1 1 1 rg 0 0 1000 1000 re f') } },
    ]));
    // The impostor: a self-made key carrying the fund's name.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'impostor.pem'), '-out', path.join(dir, 'impostor.crt'), '-days', '30', '-subj', '/CN=Shixiang Test Signer/O=Shixiang'], { stdio: 'ignore' });
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', path.join(dir, 'impostor.pem'), '-in', path.join(dir, 'impostor.crt'), '-out', path.join(dir, 'impostor.p12'), '-passout', `pass:${password}`]);
    const countersigned = path.join(dir, 'forged-memo.signed.pdf');
    expect((await runCli(['sign', forged, '--key', path.join(dir, 'impostor.p12'), '--out', countersigned], { env: env() })).code).toBe(0);
    // What a reader now shows on page 1 is the attacker's blank page.
    expect(execFileSync('pdftotext', ['-f', '1', '-l', '1', countersigned, '-'], { encoding: 'utf8' }).trim()).toBe('');
    const result = await runCli(['verify', countersigned]);
    expect(result.code).toBe(1);
    const [fundLine, impostorLine] = result.stdout.trim().split('\n');
    expect(fundLine).toMatch(/^MODIFIED .*signed by Shixiang Test Signer.*certification signature.*modified after signing \(page 1\): page 1’s \/Contents is changed/);
    expect(impostorLine).toMatch(/^valid .*signed by Shixiang Test Signer.*approval signature/);
    const fingerprint = (line: string | undefined): string | undefined => /certificate SHA-256 ([0-9A-F:]{95})/.exec(line ?? '')?.[1];
    expect(fingerprint(fundLine)).toBeDefined();
    expect(fingerprint(impostorLine)).toBeDefined();
    expect(fingerprint(fundLine)).not.toBe(fingerprint(impostorLine));
  });

  it('a second signature appends a second update; both verify, with letterpress and with pdfsig', async () => {
    const letter = letters[0] ?? (undefined as never);
    const twice = path.join(dir, 'twice.pdf');
    const passwordFile = path.join(dir, 'password.txt');
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    const result = await runCli(['sign', letter.signed, '--key', key, '--password-file', passwordFile, '--out', twice, '--name', '第二签署人']);
    expect(result.code, result.stderr).toBe(0);
    const verified = await runCli(['verify', twice]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout.match(/^valid /gm)).toHaveLength(2);
    expect(pdfsig(twice).match(/Signature is Valid/g)).toHaveLength(2);
  });

  it('refuses a password on the command line, names a wrong one and a missing one', async () => {
    const letter = letters[0] ?? (undefined as never);
    const onLine = await runCli(['sign', letter.pdf, '--key', key, '--password', password]);
    expect(onLine.code).toBe(2);
    expect(onLine.stderr).toContain('never put a password on the command line');
    const wrong = await runCli(['sign', letter.pdf, '--key', key, '--out', path.join(dir, 'never.pdf')], { env: { LETTERPRESS_KEY_PASSWORD: 'wrong' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('wrong password');
    const none = await runCli(['sign', letter.pdf, '--key', key, '--out', path.join(dir, 'never.pdf')], { env: { LETTERPRESS_KEY_PASSWORD: undefined } });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('letterpress: no password given: set LETTERPRESS_KEY_PASSWORD or use --password-file\n');
    expect(await readdir(dir)).not.toContain('never.pdf');
  });
});

describe('archive --sign', () => {
  it('stores a signed PDF/A version; verify checks the signature, and --rebuild reproduces the bytes it signed', async () => {
    const project = await mkdtemp(path.join(os.tmpdir(), 'letterpress-sign-archive-'));
    const archive = path.join(project, 'archive');
    const letter = letters[1] ?? (undefined as never);
    const result = await runCli(['archive', letter.source, '--archive', archive, '--sign', key], { env: env() });
    expect(result.code, result.stderr).toBe(0);
    const pdf = path.join(archive, '2024-06-30/input/v1/input.pdf');
    expect(pdfsig(pdf)).toContain('Signature is Valid');
    expect(execFileSync('pdfinfo', ['-meta', pdf], { encoding: 'utf8' })).toContain('<pdfaid:part>3</pdfaid:part>');
    const verify = await runCli(['verify', '--archive', archive, '--rebuild']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^signed\s+.*input\.pdf: signed by Shixiang Test Signer/m);
    expect(verify.stdout).toMatch(/^rebuilt\s+.*PDF byte-identical/m);
  });
});

describe('distribute --sign', () => {
  it('signs each personalised copy, and refuses to sign copies it would then encrypt', async () => {
    const csv = path.join(dir, 'lps.csv');
    await writeFile(csv, 'id,name\nlp1,Alpha Capital\nlp2,Beta Fund\n');
    const out = path.join(dir, 'copies');
    const letter = letters[0] ?? (undefined as never);
    const result = await runCli(['distribute', letter.source, '--recipients', csv, '--out', out, '--sign', key], { env: env() });
    expect(result.code, result.stderr).toBe(0);
    for (const id of ['lp1', 'lp2']) {
      const copy = path.join(out, `2023-12-llm-observations-${id}.pdf`);
      expect(pdfsig(copy)).toContain('Signature is Valid');
      expect(execFileSync('pdftotext', [copy, '-'], { encoding: 'utf8' })).toContain(id === 'lp1' ? 'Alpha Capital' : 'Beta Fund');
    }
    const both = await runCli(['distribute', letter.source, '--recipients', csv, '--out', path.join(dir, 'copies-2'), '--sign', key, '--encrypt', '--passwords', path.join(dir, 'pw.txt')], { env: env() });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--sign and --encrypt do not go together');
  });
});
