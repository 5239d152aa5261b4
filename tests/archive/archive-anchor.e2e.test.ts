import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { refusedUrl, startTsa, type Tsa } from '../support/tsa-server.ts';
import { tempProject, treeDigest, versionDir } from './archive-project.ts';

/** `archive --tsa URL`: each new version's manifest is time-stamped by a real RFC 3161 authority (OpenSSL's, on 127.0.0.1). */

let tsa: Tsa;
beforeAll(async () => {
  tsa = await startTsa();
}, 120_000);
afterAll(async () => {
  await tsa?.stop();
});

describe('archive --tsa', () => {
  it('anchors the new chain head; verify reports the anchored time; OpenSSL verifies the token over the manifest; a rewritten manifest no longer matches', async () => {
    const { dir, archive } = await tempProject();
    const added = await runCli(['archive', '--tsa', tsa.url], { cwd: dir });
    expect(added.code, added.stderr).toBe(0);
    const v1 = versionDir(archive, 1);
    const token = path.join(v1, 'manifest.tsr');
    // OpenSSL, independently: the token's imprint is the manifest's SHA-256, signed by the authority.
    const verified = execFileSync('openssl', ['ts', '-verify', '-in', token, '-token_in', '-data', path.join(v1, 'manifest.json'), '-CAfile', path.join(tsa.dir, 'ca.pem'), '-untrusted', path.join(tsa.dir, 'tsa.pem')], { encoding: 'utf8' });
    expect(verified).toContain('Verification: OK');

    const ok = await runCli(['verify'], { cwd: dir });
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/^anchored   1 version\(s\) time-stamped; the latest, 2023-12\/[^,]+\/v1, at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by CN=Test TSA/m);

    // A history rewritten after the anchor: the manifest's title changed.
    const manifest = path.join(v1, 'manifest.json');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace(/"title": "[^"]*"/, '"title": "rewritten"'));
    const broken = await runCli(['verify'], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^anchor .*manifest\.tsr: the time-stamp does not hold for this manifest/m);
  });

  it('an authority that is down: one line, exit 1, the archive byte-identical', async () => {
    const { dir, archive } = await tempProject();
    expect((await runCli(['archive'], { cwd: dir })).code).toBe(0);
    const before = await treeDigest(archive);
    await writeFile(path.join(dir, 'content', '2023-12-llm-observations.md'), `${await readFile(path.join(dir, 'content', '2023-12-llm-observations.md'), 'utf8')}\n补记。\n`);
    const failed = await runCli(['archive', '--tsa', await refusedUrl()], { cwd: dir });
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n').filter((line) => line.startsWith('letterpress: '))).toHaveLength(1);
    expect(failed.stderr).toMatch(/time-stamp authority/);
    expect(await treeDigest(archive)).toEqual(before);
  });
});
