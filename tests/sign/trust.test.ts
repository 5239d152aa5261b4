import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateFileError, chainEndsInTrusted, fingerprint, readCertificates } from '../../src/sign/trust.ts';
import { openssl, selfSigned, TestCa, type Issued } from '../support/test-pki.ts';

const run = promisify(execFile);
const day = 24 * 3_600_000;

let dir: string;
let root: TestCa;
let intermediate: TestCa;
let fund: Issued;
let rsaFund: Issued;

/** `openssl verify` of a certificate against a root (and untrusted intermediates), optionally at a time: OpenSSL's own verdict. */
async function opensslVerifies(leaf: Issued, trusted: string, untrusted: string[] = [], at?: Date): Promise<boolean> {
  const args = ['verify', '-CAfile', trusted, ...untrusted.flatMap((u) => ['-untrusted', u]), ...(at ? ['-attime', String(Math.floor(at.getTime() / 1000))] : []), leaf.certPem];
  return run('openssl', args).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-trust-'));
  root = await TestCa.create(dir, 'Shixiang Root');
  intermediate = await TestCa.create(dir, 'Shixiang Signing CA', root);
  fund = await intermediate.issue('Shixiang Fund');
  rsaFund = await root.issue('Shixiang Fund', { keyType: 'rsa' });
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('chainEndsInTrusted', () => {
  it('a chain signer → intermediate (carried in the signature) → trusted root', async () => {
    const result = chainEndsInTrusted(fund.der, [intermediate.certificate.der], [root.certificate.der]);
    expect(result.trusted).toBe(true);
    expect(result.chain.map((c) => c.subject)).toEqual(['CN=Shixiang Fund', 'CN=Shixiang Signing CA', 'CN=Shixiang Root']);
    expect(result.reason).toBe(`the chain ends in CN=Shixiang Root (SHA-256 ${fingerprint(root.certificate.der)}), a trusted certificate`);
    expect(await opensslVerifies(fund, root.certificate.certPem, [intermediate.certificate.certPem])).toBe(true);
  });

  it('an RSA signer issued by the root directly', () => {
    expect(chainEndsInTrusted(rsaFund.der, [], [root.certificate.der]).trusted).toBe(true);
  });

  it('the signer’s own certificate given as trusted (pinned)', () => {
    const result = chainEndsInTrusted(fund.der, [], [fund.der]);
    expect(result).toMatchObject({ trusted: true, reason: `the signer's own certificate CN=Shixiang Fund (SHA-256 ${fingerprint(fund.der)}) is trusted` });
    expect(result.chain).toHaveLength(1);
  });

  it('bytes that are not a certificate, carried or as the signer, are no certificate', () => {
    const broken = Buffer.from(intermediate.certificate.der.subarray(0, 100));
    expect(chainEndsInTrusted(fund.der, [broken, intermediate.certificate.der], [root.certificate.der]).trusted).toBe(true);
    expect(chainEndsInTrusted(fund.der, [broken], [root.certificate.der]).trusted).toBe(false);
    expect(chainEndsInTrusted(broken, [], [root.certificate.der])).toEqual({ trusted: false, chain: [], reason: "the signer's certificate cannot be read" });
  });

  it('the intermediate trusted: the chain ends there', () => {
    expect(chainEndsInTrusted(fund.der, [], [intermediate.certificate.der]).chain).toHaveLength(2);
  });

  it('the intermediate missing: the chain stops at the signer (and OpenSSL cannot build it either)', async () => {
    const result = chainEndsInTrusted(fund.der, [], [root.certificate.der]);
    expect(result).toMatchObject({ trusted: false, reason: `the chain stops at CN=Shixiang Fund (SHA-256 ${fingerprint(fund.der)}): no trusted or carried certificate issued it (issuer CN=Shixiang Signing CA)` });
    expect(await opensslVerifies(fund, root.certificate.certPem)).toBe(false);
  });

  it('nothing trusted: the chain is built as far as it goes, and is not trusted', () => {
    const result = chainEndsInTrusted(fund.der, [intermediate.certificate.der, root.certificate.der], []);
    expect(result.trusted).toBe(false);
    expect(result.chain.map((c) => c.subject)).toEqual(['CN=Shixiang Fund', 'CN=Shixiang Signing CA', 'CN=Shixiang Root']);
    expect(result.reason).toBe(`the chain ends at CN=Shixiang Root (SHA-256 ${fingerprint(root.certificate.der)}), self-signed and not among the trusted certificates`);
  });

  it('an impostor: a self-signed certificate with the fund’s name is not trusted', async () => {
    const impostor = await selfSigned(dir, 'Shixiang Fund');
    const result = chainEndsInTrusted(impostor.der, [], [root.certificate.der, fund.der]);
    expect(result).toMatchObject({ trusted: false, reason: `the chain ends at CN=Shixiang Fund (SHA-256 ${fingerprint(impostor.der)}), self-signed and not among the trusted certificates` });
    expect(await opensslVerifies(impostor, root.certificate.certPem)).toBe(false);
  });

  it('an impostor with a root of the same name carried in the signature: not trusted', async () => {
    const fakeRoot = await TestCa.create(path.join(dir, 'fake'), 'Shixiang Root');
    const impostor = await fakeRoot.issue('Shixiang Fund');
    const result = chainEndsInTrusted(impostor.der, [fakeRoot.certificate.der], [root.certificate.der]);
    expect(result.trusted).toBe(false);
    expect(result.chain.map((c) => c.fingerprint)).toEqual([fingerprint(impostor.der), fingerprint(fakeRoot.certificate.der)]);
    // The fake root claims the real one's name as its issuer: the reason says the real one did not sign it.
    expect(result.reason).toBe(
      `the chain ends at CN=Shixiang Root (SHA-256 ${fingerprint(fakeRoot.certificate.der)}), self-signed and not among the trusted certificates; CN=Shixiang Root names CN=Shixiang Root (SHA-256 ${fingerprint(root.certificate.der)}) as its issuer, but that certificate's key did not sign it`,
    );
    expect(await opensslVerifies(impostor, root.certificate.certPem, [fakeRoot.certificate.certPem])).toBe(false);
  });

  it('a certificate that names the trusted root as issuer but was signed by another key', async () => {
    // Same name, no key identifier to tell them apart: only the signature does.
    const fakeRoot = await TestCa.create(path.join(dir, 'fake-no-akid'), 'Shixiang Root');
    const forged = await fakeRoot.issue('Shixiang Fund', { extensions: ['basicConstraints = critical,CA:FALSE', 'authorityKeyIdentifier = none', 'subjectKeyIdentifier = none'] });
    const result = chainEndsInTrusted(forged.der, [], [root.certificate.der]);
    expect(result.trusted).toBe(false);
    expect(result.reason).toBe(
      `the chain stops at CN=Shixiang Fund (SHA-256 ${fingerprint(forged.der)}): no trusted or carried certificate issued it (issuer CN=Shixiang Root); CN=Shixiang Fund names CN=Shixiang Root (SHA-256 ${fingerprint(root.certificate.der)}) as its issuer, but that certificate's key did not sign it`,
    );
    expect(await opensslVerifies(forged, root.certificate.certPem)).toBe(false);
  });

  it('an expired signer certificate: not trusted now, trusted at a time within its validity (a time-stamp’s)', async () => {
    const from = new Date(Date.now() - 30 * day);
    const to = new Date(Date.now() - 10 * day);
    const expired = await root.issue('Shixiang Fund', { validFrom: from, validTo: to });
    const now = chainEndsInTrusted(expired.der, [], [root.certificate.der]);
    expect(now.trusted).toBe(false);
    expect(now.reason).toMatch(/^the chain ends in a trusted certificate, but CN=Shixiang Fund had expired on \S+ \(valid until \S+\)$/);
    const then = new Date(Date.now() - 20 * day);
    expect(chainEndsInTrusted(expired.der, [], [root.certificate.der], { at: then }).trusted).toBe(true);
    expect(await opensslVerifies(expired, root.certificate.certPem)).toBe(false);
    expect(await opensslVerifies(expired, root.certificate.certPem, [], then)).toBe(true);
  });

  it('a signer certificate not yet valid', async () => {
    const future = await root.issue('Shixiang Fund', { validFrom: new Date(Date.now() + day), validTo: new Date(Date.now() + 2 * day) });
    expect(chainEndsInTrusted(future.der, [], [root.certificate.der]).reason).toMatch(/^the chain ends in a trusted certificate, but CN=Shixiang Fund is not yet valid on \S+ \(valid from \S+\)$/);
  });

  it('a certificate that is not a CA does not issue: a chain through the fund’s own certificate fails', async () => {
    // The fund's end-entity key signs a certificate, with OpenSSL's `x509 -req`, which does not check the issuer is a CA.
    const key = path.join(dir, 'sub.key');
    const csr = path.join(dir, 'sub.csr');
    const cert = path.join(dir, 'sub.pem');
    await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
    await openssl(['req', '-new', '-key', key, '-subj', '/CN=Sub Signer', '-out', csr]);
    await openssl(['x509', '-req', '-in', csr, '-CA', rsaFund.certPem, '-CAkey', rsaFund.keyPem, '-set_serial', '7', '-days', '2', '-out', cert]);
    const sub = Buffer.from((await readFile(cert, 'latin1')).replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(chainEndsInTrusted(sub, [rsaFund.der], [root.certificate.der]).trusted).toBe(false);
    expect(chainEndsInTrusted(sub, [rsaFund.der], [root.certificate.der]).chain).toHaveLength(1);
  });
});

describe('readCertificates', () => {
  it('a PEM file with several certificates, in order', async () => {
    const file = path.join(dir, 'bundle.pem');
    await writeFile(file, (await readFile(intermediate.certificate.certPem, 'utf8')) + 'a comment\n' + (await readFile(root.certificate.certPem, 'utf8')));
    const certificates = await readCertificates(file);
    expect(certificates.map((c) => fingerprint(c))).toEqual([fingerprint(intermediate.certificate.der), fingerprint(root.certificate.der)]);
  });

  it('a DER file, as `openssl x509 -outform DER` writes it', async () => {
    const file = path.join(dir, 'fund.cer');
    await openssl(['x509', '-in', fund.certPem, '-outform', 'DER', '-out', file]);
    const [certificate, ...rest] = await readCertificates(file);
    expect(rest).toEqual([]);
    expect(certificate?.equals(fund.der)).toBe(true);
  });

  it('a file that holds no certificate (a key, text, a truncated DER) or cannot be read: one line, exit 2', async () => {
    const truncated = path.join(dir, 'truncated.cer');
    await writeFile(truncated, fund.der.subarray(0, fund.der.length - 10));
    for (const file of [fund.keyPem, truncated]) {
      const error = await readCertificates(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CertificateFileError);
      expect((error as CertificateFileError).exitCode).toBe(2);
      expect((error as Error).message).toBe(`${file} is not a certificate: give a PEM file (-----BEGIN CERTIFICATE-----) or a DER certificate (.cer/.crt/.pem)`);
    }
    const missing = path.join(dir, 'missing.pem');
    await expect(readCertificates(missing)).rejects.toThrow(`cannot read the certificate file ${missing} (ENOENT)`);
  });
});

describe('fingerprint', () => {
  it('is the SHA-256 OpenSSL prints', async () => {
    const printed = await openssl(['x509', '-noout', '-fingerprint', '-sha256', '-in', fund.certPem]);
    expect(printed.trim()).toBe(`sha256 Fingerprint=${fingerprint(fund.der)}`);
    expect(fingerprint(fund.der)).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });
});
