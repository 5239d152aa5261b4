import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorDigest, anchoredDigest } from '../../src/archive/anchor.ts';
import { serializeManifest, sha256Of, type Manifest } from '../../src/archive/manifest.ts';
import { checkTimestampToken, requestTimestamp } from '../../src/sign/timestamp.ts';
import { openssl } from '../support/test-pki.ts';
import { startTsa, type Tsa } from '../support/tsa-server.ts';

const manifest: Manifest = {
  slug: 'memo',
  date: '2024-03',
  version: 2,
  previous: 'a'.repeat(64),
  title: '致有限合伙人的信',
  sourcePath: 'content/memo.md',
  paper: 'a4',
  profile: 'pdf',
  pages: 4,
  toc: [],
  files: { 'memo.pdf': { sha256: 'b'.repeat(64), bytes: 2048 } },
  letterpressVersion: '0.1.0',
  chromiumVersion: 'Chrome/156',
  fonts: [],
  sourceDateEpoch: null,
  builtAt: '2024-03-01T10:00:00.000Z',
};
const head = Buffer.from(serializeManifest(manifest));

let dir: string;
let tsa: Tsa;
let token: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-anchor-'));
  tsa = await startTsa();
  token = await requestTimestamp(tsa.url, head, { timeoutMs: 15_000 });
});

afterAll(async () => {
  await tsa?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('anchoring an archive chain head', () => {
  it('anchorDigest is the hash the chain already names the head by (a next version’s `previous`), as `openssl dgst` computes it', async () => {
    const file = path.join(dir, 'manifest.json');
    await writeFile(file, head);
    expect(anchorDigest(head)).toBe(sha256Of(head));
    expect((await openssl(['dgst', '-sha256', '-r', file])).split(' ')[0]).toBe(anchorDigest(head));
  });

  it('a token for the head bytes names that digest, and `openssl ts -verify -digest` accepts it for it', async () => {
    expect(anchoredDigest(token)).toBe(anchorDigest(head));
    const tokenFile = path.join(dir, 'anchor.tsr');
    await writeFile(tokenFile, token);
    const verdict = await openssl(['ts', '-verify', '-token_in', '-in', tokenFile, '-digest', anchorDigest(head), '-CAfile', path.join(tsa.dir, 'ca.pem')]);
    expect(verdict).toContain('Verification: OK');
    expect(checkTimestampToken(token, head).problems).toEqual([]);
  });

  it('a head rewritten after the anchor no longer matches it', () => {
    const rewritten = Buffer.from(serializeManifest({ ...manifest, title: '改写的标题' }));
    expect(anchoredDigest(token)).not.toBe(anchorDigest(rewritten));
    expect(checkTimestampToken(token, rewritten).problems).toEqual(['the time-stamp is for other data: its message imprint is not the digest of the bytes checked']);
  });

  it('bytes that are not a token anchor nothing', () => {
    expect(anchoredDigest(Buffer.from('no token'))).toBeUndefined();
  });
});
