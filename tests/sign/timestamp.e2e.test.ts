import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/common/errors.ts';
import { parseDer } from '../../src/sign/der.ts';
import { checkTimestampToken, requestTimestamp, timestampImprint, TimestampError } from '../../src/sign/timestamp.ts';
import { chainEndsInTrusted, fingerprint } from '../../src/sign/trust.ts';
import { openssl } from '../support/test-pki.ts';
import { postQuery, refusedUrl, startTsa, type Tsa, type TsaOptions } from '../support/tsa-server.ts';

const run = promisify(execFile);
/** What a signature value looks like to the time-stamp: bytes. */
const signatureValue = createHash('sha512').update('a signature value').digest();

let dir: string;
let tsa: Tsa;
let token: Buffer;
const started: Tsa[] = [];

/** A misbehaving TSA, with the good one's keys. */
async function tsaWith(options: TsaOptions): Promise<Tsa> {
  const t = await startTsa({ authority: tsa.authority, ...options });
  started.push(t);
  return t;
}

/** `openssl ts -verify` on a token over `data`, trusting the test root: OpenSSL's own verdict. */
async function opensslVerify(t: Tsa, tokenDer: Buffer, data: Buffer): Promise<{ ok: boolean; output: string }> {
  const tokenFile = path.join(dir, `token-${Math.random().toString(36).slice(2)}.der`);
  const dataFile = `${tokenFile}.data`;
  await writeFile(tokenFile, tokenDer);
  await writeFile(dataFile, data);
  const result = await run('openssl', ['ts', '-verify', '-token_in', '-in', tokenFile, '-data', dataFile, '-CAfile', path.join(t.dir, 'ca.pem')]).then(
    (r) => ({ ok: true, output: r.stdout + r.stderr }),
    (e: { stdout: string; stderr: string }) => ({ ok: false, output: e.stdout + e.stderr }),
  );
  return result;
}

/** The token inside a TimeStampResp the test TSA gave. */
const tokenOf = (reply: Buffer): Buffer => Buffer.from(parseDer(reply).children[1]?.raw ?? Buffer.alloc(0));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-timestamp-'));
  tsa = await startTsa();
  token = await requestTimestamp(tsa.url, signatureValue, { timeoutMs: 15_000 });
});

afterAll(async () => {
  // The misbehaving ones first: they use the good one's keys.
  await Promise.all(started.map((t) => t.stop()));
  await tsa?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('requestTimestamp against an OpenSSL time-stamp authority', () => {
  it('sends a SHA-256 imprint of the data, a nonce and a certificate request (as `openssl ts -query -text` reads the query)', async () => {
    const queryFile = path.join(dir, 'sent.tsq');
    await writeFile(queryFile, tsa.exchanges[0]?.query ?? Buffer.alloc(0));
    const text = await openssl(['ts', '-query', '-in', queryFile, '-text']);
    expect(text).toMatch(/Hash Algorithm: sha256/);
    const hex = (text.match(/Message data:\n([\s\S]*?)\n(?=\S)/)?.[1] ?? '').replace(/^\s*\S+ - /gm, '').replace(/ {3,}.*$/gm, '').replace(/[\s-]/g, '');
    expect(hex.toLowerCase()).toBe(createHash('sha256').update(signatureValue).digest('hex'));
    expect(text).toMatch(/Nonce: 0x[0-9A-F]{16,}/);
    expect(text).toMatch(/Certificate required: yes/);
  });

  it('returns the token the authority sent, which `openssl ts -verify` accepts for the data', async () => {
    expect(token.equals(tokenOf(tsa.exchanges[0]?.reply ?? Buffer.alloc(0)))).toBe(true);
    expect(await opensslVerify(tsa, token, signatureValue)).toMatchObject({ ok: true, output: expect.stringContaining('Verification: OK') });
    expect((await opensslVerify(tsa, token, Buffer.from('other bytes'))).ok).toBe(false);
  });

  it('the token is CMS SignedData over a TSTInfo, signed by the TSA certificate (`openssl cms -cmsout -print`)', async () => {
    const file = path.join(dir, 'token.der');
    await writeFile(file, token);
    const printed = await openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', file]);
    expect(printed).toContain('contentType: pkcs7-signedData');
    expect(printed).toContain('eContentType: id-smime-ct-TSTInfo');
    expect(printed).toMatch(/issuer: CN=Test Time-Stamp Root/);
    expect(printed).toMatch(/object: id-smime-aa-signingCertificateV2/);
  });
});

describe('checkTimestampToken', () => {
  it('a good token: no problems, the authority’s time, its certificate and fingerprint as OpenSSL gives them', async () => {
    const before = Date.now();
    const check = checkTimestampToken(token, signatureValue);
    expect(check.problems).toEqual([]);
    const genTime = (await openssl(['ts', '-reply', '-token_in', '-in', await fileWith(token), '-text'])).match(/Time stamp: (.*)/)?.[1] ?? '';
    expect(check.time?.getTime()).toBe(new Date(genTime).getTime());
    expect(Math.abs((check.time?.getTime() ?? 0) - before)).toBeLessThan(120_000);
    expect(check.tsaCertificate?.subject).toBe('CN=Test TSA');
    const printed = await openssl(['x509', '-noout', '-fingerprint', '-sha256', '-in', tsa.tsaCertificate.certPem]);
    expect(`sha256 Fingerprint=${check.tsaCertificate?.fingerprint}`).toBe(printed.trim());
    expect(check.tsaCertificate?.der.equals(tsa.tsaCertificate.der)).toBe(true);
    expect(check.serialNumber).toMatch(/^[0-9a-f]+$/);
  });

  it('the authority’s chain can be checked: the token carries the root, and ends in it when it is trusted', () => {
    const check = checkTimestampToken(token, signatureValue);
    const der = check.tsaCertificate?.der ?? Buffer.alloc(0);
    expect(check.certificates.some((c) => c.equals(tsa.ca.certificate.der))).toBe(true);
    expect(chainEndsInTrusted(der, check.certificates, [tsa.ca.certificate.der], { at: check.time }).trusted).toBe(true);
    expect(chainEndsInTrusted(der, check.certificates, []).trusted).toBe(false);
  });

  it('other data: the imprint does not match (and OpenSSL agrees)', async () => {
    const check = checkTimestampToken(token, Buffer.from('a changed signature'));
    expect(check.problems).toEqual(['the time-stamp is for other data: its message imprint is not the digest of the bytes checked']);
    expect(timestampImprint(token)).toEqual({ algorithm: 'sha256', digest: createHash('sha256').update(signatureValue).digest() });
  });

  it('a TSTInfo changed after signing (one digit of the time): its digest is not the one signed', async () => {
    const changed = Buffer.from(token);
    const genTime = changed.indexOf(Buffer.from(checkTimestampToken(token, signatureValue).time?.toISOString().slice(0, 4) ?? 'none'));
    expect(genTime).toBeGreaterThan(0);
    changed[genTime + 3] = changed[genTime + 3] === 0x39 ? 0x38 : (changed[genTime + 3] ?? 0) + 1;
    const check = checkTimestampToken(changed, signatureValue);
    expect(check.problems).toContain('the TSTInfo changed after the authority signed it: its digest is not the one signed');
    expect((await opensslVerify(tsa, changed, signatureValue)).ok).toBe(false);
  });

  it('a signature value changed: the token’s signature does not verify', async () => {
    const changed = Buffer.from(token);
    const signature = parseDer(changed).children[1]?.children[0]?.children.at(-1)?.children[0]?.children.at(-1);
    expect(signature?.tag).toBe(0x04);
    const at = changed.length - (signature?.content.length ?? 0) + 10;
    changed[at] = (changed[at] ?? 0) ^ 0x01;
    expect(checkTimestampToken(changed, signatureValue).problems).toEqual(["the time-stamp token's signature does not verify with its authority's certificate"]);
    expect((await opensslVerify(tsa, changed, signatureValue)).ok).toBe(false);
  });

  it('a token without the authority’s certificate (OpenSSL’s own query, without -cert): the signature cannot be checked', async () => {
    const dataFile = await fileWith(signatureValue);
    const queryFile = path.join(dir, 'no-cert.tsq');
    await openssl(['ts', '-query', '-data', dataFile, '-sha256', '-out', queryFile]);
    const replyFile = await fileWith(await postQuery(tsa.url, await readFile(queryFile)));
    // The test authority is a real one: OpenSSL's client accepts its reply to OpenSSL's query.
    expect(await openssl(['ts', '-verify', '-in', replyFile, '-queryfile', queryFile, '-CAfile', path.join(tsa.dir, 'ca.pem'), '-untrusted', path.join(tsa.dir, 'tsa.pem')])).toContain('Verification: OK');
    const bare = tokenOf(await readFile(replyFile));
    expect(checkTimestampToken(bare, signatureValue)).toMatchObject({ certificates: [], tsaCertificate: undefined, problems: ["the time-stamp token does not carry its authority's certificate"] });
  });

  it('any one byte of the token changed: the check never fails with an error, and a change to what the authority signed is always found', () => {
    const signedData = parseDer(token).children[1]?.children[0];
    const tstInfo = signedData?.children[2]?.children[1]?.children[0]?.content;
    const signerInfo = signedData?.children.at(-1)?.children[0];
    const signedAttributes = signerInfo?.children.find((c) => c.tag === 0xa0)?.raw;
    const signatureValue_ = signerInfo?.children.find((c) => c.tag === 0x04)?.content;
    const covered = [tstInfo, signedAttributes, signatureValue_].map((part) => {
      if (!part) throw new Error('the token lacks a part it must have');
      const start = part.byteOffset - token.byteOffset;
      return [start, start + part.length] as const;
    });
    const [tstRange, attributesRange, signatureRange] = covered;
    const isCovered = (i: number): boolean => covered.some(([start, end]) => i >= start && i < end);
    const within = (range: readonly [number, number] | undefined, i: number): boolean => !!range && i >= range[0] && i < range[1];
    let checked = 0;
    for (let i = 0; i < token.length; i++) {
      // Samples (a check takes milliseconds): the TSTInfo densest, then the signed attributes, the signature value, the rest (certificates, algorithm identifiers).
      const every = within(tstRange, i) ? 2 : within(attributesRange, i) ? 5 : within(signatureRange, i) ? 32 : 160;
      if (i % every !== 0) continue;
      const changed = Buffer.from(token);
      changed[i] = (changed[i] ?? 0) ^ 0x5a;
      const check = checkTimestampToken(changed, signatureValue);
      if (isCovered(i)) expect(check.problems, `byte ${i} changed`).not.toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThan(80);
  });

  it('bytes that are not a token: one problem, no time', () => {
    expect(checkTimestampToken(Buffer.from('not a token'), signatureValue)).toEqual({ certificates: [], problems: ['the time-stamp token is not DER-encoded CMS'] });
    expect(timestampImprint(Buffer.from([0x30, 0x00]))).toBeUndefined();
  });

  it('a token made before the signer’s certificate was valid proves nothing for that signature', async () => {
    const ca = tsa.ca;
    const later = new Date(Date.now() + 24 * 3_600_000);
    const signer = await ca.issue('Shixiang Fund', { validFrom: later, validTo: new Date(later.getTime() + 24 * 3_600_000) });
    const check = checkTimestampToken(token, signatureValue, { signerCertificate: signer.der });
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]).toMatch(/^the time-stamp \(\S+\) is before the signer's certificate was valid \(from \S+\)$/);
    const valid = await ca.issue('Shixiang Fund');
    expect(checkTimestampToken(token, signatureValue, { signerCertificate: valid.der }).problems).toEqual([]);
  });
});

async function fileWith(bytes: Buffer): Promise<string> {
  const file = path.join(dir, `bytes-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, bytes);
  return file;
}

describe('requestTimestamp failures: one line naming the cause', () => {
  it('the authority is down: connection refused', async () => {
    const url = await refusedUrl();
    await expect(requestTimestamp(url, signatureValue)).rejects.toThrow(new TimestampError(`the time-stamp authority at ${url} refused the connection: nothing listens there (is the URL right, is the service up?)`));
  });

  it('the authority does not answer in time', async () => {
    const slow = await tsaWith({ delayMs: 10_000 });
    const start = Date.now();
    const error = await requestTimestamp(slow.url, signatureValue, { timeoutMs: 400 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimestampError);
    expect((error as Error).message).toBe(`the time-stamp authority at ${slow.url} did not answer within 0.4 s (try again, or another authority)`);
    expect(Date.now() - start).toBeLessThan(5_000);
  });

  it('the authority stops while a request waits: the connection is closed, and afterwards refused', async () => {
    const stopping = await startTsa({ delayMs: 10_000, authority: tsa.authority });
    const pending = requestTimestamp(stopping.url, signatureValue, { timeoutMs: 15_000 }).catch((e: unknown) => e);
    await stopping.firstRequest;
    await stopping.stop();
    expect(((await pending) as Error).message).toBe(`the time-stamp authority at ${stopping.url} closed the connection before answering (try again, or another authority)`);
    await expect(requestTimestamp(stopping.url, signatureValue)).rejects.toThrow('refused the connection');
    await expect(stat(stopping.dir)).rejects.toThrow('ENOENT');
  });

  it('an HTTP error status', async () => {
    const broken = await tsaWith({ httpStatus: 503 });
    await expect(requestTimestamp(broken.url, signatureValue)).rejects.toThrow(`the time-stamp authority at ${broken.url} answered HTTP 503 Service Unavailable (check the URL, or try again later)`);
  });

  it('a redirect is not followed: only the URL given is contacted', async () => {
    const moved = await tsaWith({ httpStatus: 302, location: tsa.url });
    const before = tsa.exchanges.length;
    await expect(requestTimestamp(moved.url, signatureValue)).rejects.toThrow(`the time-stamp authority at ${moved.url} answered HTTP 302 Found (check the URL, or try again later)`);
    expect(tsa.exchanges.length).toBe(before);
  });

  it('HTTPS with a certificate the machine does not trust: one line naming it', async () => {
    const server = createHttpsServer({ key: await readFile(tsa.tsaCertificate.keyPem), cert: await readFile(tsa.tsaCertificate.certPem) }, (_request, response) => response.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
    try {
      await expect(requestTimestamp(url, signatureValue)).rejects.toThrow(/^the time-stamp authority at https:\/\/127\.0\.0\.1:\d+\/tsa has an HTTPS certificate this machine does not trust \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)\): check the URL/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('the authority rejects the request (OpenSSL accepting SHA-512 imprints only): its status and reasons', async () => {
    const picky = await tsaWith({ digests: ['sha512'] });
    await expect(requestTimestamp(picky.url, signatureValue)).rejects.toThrow(`the time-stamp authority at ${picky.url} refused the request: rejection (Message digest algorithm is not supported.; badAlg)`);
  });

  it('a reply for another imprint', async () => {
    const other = await tsaWith({ tamper: 'imprint' });
    await expect(requestTimestamp(other.url, signatureValue)).rejects.toThrow(`the time-stamp authority at ${other.url} answered for another imprint than the one sent: the token does not time-stamp this signature`);
    // The reply is a genuine token, for other data: OpenSSL accepts it for that data only.
    const replied = tokenOf(other.exchanges[0]?.reply ?? Buffer.alloc(0));
    expect((await opensslVerify(other, replied, Buffer.from('another document'))).ok).toBe(true);
    expect(checkTimestampToken(replied, signatureValue).problems).toEqual(['the time-stamp is for other data: its message imprint is not the digest of the bytes checked']);
  });

  it('a reply with another nonce', async () => {
    const replayed = await tsaWith({ tamper: 'nonce' });
    await expect(requestTimestamp(replayed.url, signatureValue)).rejects.toThrow(`the time-stamp authority at ${replayed.url} answered without the nonce sent: the reply is not the answer to this request`);
  });

  it('a URL that is not HTTP(S), or not a URL: a usage error, nothing contacted', async () => {
    await expect(requestTimestamp('ftp://127.0.0.1/tsa', signatureValue)).rejects.toThrow(UsageError);
    await expect(requestTimestamp('tsa.example', signatureValue)).rejects.toThrow('tsa.example is not a URL');
  });
});

describe('an authority whose certificate is not for time-stamping', () => {
  for (const [eku, problem, opensslSays] of [
    ['none', "the authority's certificate CN=Test TSA is not for time-stamping: its extended key usage lacks timeStamping", /unsuitable certificate purpose/],
    ['timeStamping', "the authority's certificate CN=Test TSA has extended key usage timeStamping, but not marked critical (RFC 3161 2.3)", /unsuitable certificate purpose/],
  ] as const) {
    it(`extended key usage ${eku}: the client refuses the token, the check names it, OpenSSL refuses it too`, async () => {
      const rogue = await tsaWith({ extendedKeyUsage: eku });
      await expect(requestTimestamp(rogue.url, signatureValue)).rejects.toThrow(`the time-stamp authority at ${rogue.url} sent a token that does not hold: ${problem}`);
      const replied = tokenOf(rogue.exchanges[0]?.reply ?? Buffer.alloc(0));
      // Everything else about it holds: the imprint, the signature, the signing-certificate attribute.
      expect(checkTimestampToken(replied, signatureValue).problems).toEqual([problem]);
      const verdict = await opensslVerify(rogue, replied, signatureValue);
      expect(verdict.ok).toBe(false);
      expect(verdict.output).toMatch(opensslSays);
    });
  }

  it('a certificate not yet valid when the token was made', async () => {
    const early = await tsaWith({ validFrom: new Date(Date.now() + 24 * 3_600_000) });
    await expect(requestTimestamp(early.url, signatureValue)).rejects.toThrow(/sent a token that does not hold: the time-stamp \(\S+\) is before its authority's certificate was valid \(from \S+\)$/);
    const replied = tokenOf(early.exchanges[0]?.reply ?? Buffer.alloc(0));
    const check = checkTimestampToken(replied, signatureValue);
    expect(check.problems).toHaveLength(1);
    expect(check.tsaCertificate?.fingerprint).toBe(fingerprint(early.tsaCertificate.der));
  });
});
