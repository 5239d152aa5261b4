import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { QpdfJson, type Dict } from '../support/qpdf-json.ts';
import { runCli } from '../support/run-cli.ts';
import { TestCa, selfSigned, type Issued } from '../support/test-pki.ts';
import { refusedUrl, startTsa, type Tsa } from '../support/tsa-server.ts';

/**
 * Proof that lasts: the memo signed by a key its fund's CA issued, with a
 * signature time-stamp from a real RFC 3161 authority (OpenSSL's, on
 * 127.0.0.1), verified against the fund's root and the authority's root;
 * and what an impostor or a failing authority gets.
 */

const password = 'correct horse';
const env = { LETTERPRESS_KEY_PASSWORD: password };
let dir: string;
let tsa: Tsa;
let fundRoot: TestCa;
let memo: string;

function p12(issued: Issued, name: string, chain: string[] = []): string {
  const file = path.join(dir, `${name}.p12`);
  const bundle = path.join(dir, `${name}-chain.pem`);
  execFileSync('sh', ['-c', 'cat "$@" > "$0"', bundle, ...(chain.length > 0 ? chain : ['/dev/null'])]);
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', issued.keyPem, '-in', issued.certPem, ...(chain.length > 0 ? ['-certfile', bundle] : []), '-out', file, '-passout', `pass:${password}`]);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-proof-'));
  tsa = await startTsa();
  fundRoot = await TestCa.create(path.join(dir, 'fund-ca'), 'Shixiang Root CA');
  memo = path.join(dir, 'memo.pdf');
  await copyFile(path.join(inject('memoOut'), '2023-12-llm-observations.pdf'), memo);
}, 120_000);

afterAll(async () => {
  await tsa?.stop();
});

describe('sign --tsa, verify --trust --trust-tsa', () => {
  it('a letter signed by the fund’s certificate with a time-stamp: trusted, with signer, fingerprint, certification level and time', async () => {
    const fund = await fundRoot.issue('Shixiang IR', { keyType: 'rsa' });
    const key = p12(fund, 'fund', [fundRoot.certificate.certPem]);
    const signed = path.join(dir, 'memo.signed.pdf');
    const result = await runCli(['sign', memo, '--key', key, '--tsa', tsa.url, '--out', signed], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(tsa.exchanges.length).toBeGreaterThan(0);

    const verified = await runCli(['verify', signed, '--trust', fundRoot.certificate.certPem, '--trust-tsa', path.join(tsa.dir, 'ca.pem')]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const fingerprint = execFileSync('openssl', ['x509', '-in', fund.certPem, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }).trim().split('=')[1];
    expect(verified.stdout).toMatch(/^trusted\s+\S+: signed by Shixiang IR /);
    expect(verified.stdout).toContain(`certificate SHA-256 ${fingerprint}`);
    expect(verified.stdout).toContain('certification signature (DocMDP P=2');
    expect(verified.stdout).toMatch(/time-stamped \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by .*, a trusted authority/);
    expect(verified.stdout).toMatch(/trusted: /);

    // Independent checks: poppler verifies the signature; OpenSSL sees the token as the signer's unsigned attribute and verifies it over the signature value.
    expect(spawnSync('pdfsig', [signed], { encoding: 'utf8' }).stdout).toContain('Signature is Valid');
    const q = new QpdfJson(signed);
    const sig = [...q.dicts()].map(([, d]) => d).find((d) => d['/Type'] === '/Sig') as Dict;
    expect((sig['/Reference'] as unknown[] | undefined)?.length).toBe(1);
    const cms = Buffer.from(String(sig['/Contents']).slice(2).replace(/(00)+$/, ''), 'hex');
    await writeFile(path.join(dir, 'sig.der'), cms);
    const printed = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', path.join(dir, 'sig.der')], { encoding: 'utf8' });
    expect(printed).toMatch(/id-smime-aa-timeStampToken|1\.2\.840\.113549\.1\.9\.16\.2\.14/);
  });

  it('an impostor’s self-made key with the fund’s name: not trusted, exit 1', async () => {
    const impostor = await selfSigned(dir, 'Shixiang IR');
    const key = p12(impostor, 'impostor');
    const signed = path.join(dir, 'memo.impostor.pdf');
    expect((await runCli(['sign', memo, '--key', key, '--out', signed], { env })).code).toBe(0);
    const verified = await runCli(['verify', signed, '--trust', fundRoot.certificate.certPem]);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/^UNTRUSTED\s+\S+: signed by Shixiang IR .*no time-stamp: the time is the signer’s own claim; not trusted: /);
  });

  it('an authority that is down, or sends a token for another document: one line, exit 1, nothing written', async () => {
    const fund = await fundRoot.issue('Shixiang IR 2', { keyType: 'rsa' });
    const key = p12(fund, 'fund2', [fundRoot.certificate.certPem]);
    const out = path.join(dir, 'not-written.pdf');
    const down = await runCli(['sign', memo, '--key', key, '--tsa', await refusedUrl(), '--out', out], { env });
    expect(down.code).toBe(1);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    expect(down.stderr).toMatch(/^letterpress: .*time-stamp authority/);
    const other = await startTsa({ tamper: 'imprint' });
    try {
      const wrong = await runCli(['sign', memo, '--key', key, '--tsa', other.url, '--out', out], { env });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await other.stop();
    }
    expect(existsSync(out)).toBe(false);
    expect((await readFile(memo)).equals(await readFile(path.join(inject('memoOut'), '2023-12-llm-observations.pdf')))).toBe(true);
  });
});
