import { execFileSync } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCatalogue, type CatalogueEntry } from '../../src/archive/catalogue.ts';
import { listVersions } from '../../src/archive/layout.ts';
import { manifestSchema, readManifest, serializeManifest, sha256Of } from '../../src/archive/manifest.ts';
import { runCli } from '../support/run-cli.ts';
import { memoName, memoSource, tempProject, versionDir } from './archive-project.ts';

const password = 'archive-test-password';

/**
 * Each manifest records whether its PDF was signed (and by which certificate)
 * and whether it is PDF/A: a history rewritten from its start with unsigned,
 * plain PDFs (hashes, chain and catalogue all recomputed) fails `verify`.
 */
describe('an archive made with --sign', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  let fingerprint: string;
  beforeAll(async () => {
    project = await tempProject();
    const pem = (name: string): string => path.join(project.dir, name);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', pem('key.pem'), '-out', pem('cert.pem'), '-days', '30', '-subj', '/CN=Shixiang IR/O=Shixiang'], { stdio: 'ignore' });
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', pem('key.pem'), '-in', pem('cert.pem'), '-out', pem('key.p12'), '-passout', `pass:${password}`]);
    // The fingerprint as openssl computes it, independently of letterpress.
    fingerprint = /=([0-9A-F:]+)/.exec(execFileSync('openssl', ['x509', '-in', pem('cert.pem'), '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }))![1]!.replace(/:/g, '').toLowerCase();
    for (const edit of [(s: string) => s, (s: string) => s.replace('比年初预期要难', '比年初预期更难')]) {
      await writeFile(project.memo, edit(await memoSource()));
      const result = await runCli(['archive', '--sign', 'key.p12'], { cwd: project.dir, env: { LETTERPRESS_KEY_PASSWORD: password } });
      if (result.code !== 0) throw new Error(result.stderr);
    }
  }, 240_000);

  it('records in each manifest the signer’s certificate fingerprint and that the PDF is PDF/A', async () => {
    for (const n of [1, 2]) {
      const manifest = manifestSchema.parse(JSON.parse(await readFile(path.join(versionDir(project.archive, n), 'manifest.json'), 'utf8')));
      expect(manifest.signature).toEqual({ signer: 'Shixiang IR', fingerprint });
      expect(manifest.pdfa).toBe(true);
    }
    const verified = await runCli(['verify'], { cwd: project.dir });
    expect(verified.code, verified.stdout).toBe(0);
  });

  it('v1 rewritten with an unsigned, plain PDF (manifests, chain and catalogue recomputed) does not verify', async () => {
    // The forger's v1: the source edited, built without --pdfa and not signed.
    const forged = path.join(project.dir, 'forged');
    await writeFile(project.memo, (await memoSource()).replace('比年初预期要难', '比年初预期很难'));
    const built = await runCli(['build', path.relative(project.dir, project.memo), '--out', 'forged'], { cwd: project.dir });
    expect(built.code, built.stderr).toBe(0);
    const v1 = versionDir(project.archive, 1);
    for (const ext of ['md', 'html', 'pdf']) await copyFile(ext === 'md' ? project.memo : path.join(forged, `${memoName}.${ext}`), path.join(v1, `${memoName}.${ext}`));

    // Every hash after it recomputed: v1's files, v2's link to v1, the catalogue.
    let previous: string | null = null;
    for (const version of await listVersions(project.archive)) {
      const { manifest } = await readManifest(version);
      for (const name of Object.keys(manifest.files)) {
        const data = await readFile(path.join(version.dir, name));
        manifest.files[name] = { sha256: sha256Of(data), bytes: data.length };
      }
      const bytes = serializeManifest({ ...manifest, previous });
      await writeFile(path.join(version.dir, 'manifest.json'), bytes);
      previous = sha256Of(bytes);
    }
    const entries: CatalogueEntry[] = [];
    for (const version of await listVersions(project.archive)) {
      const { manifest, sha256 } = await readManifest(version);
      entries.push({ version, manifest, manifestSha256: sha256 });
    }
    const catalogue = await renderCatalogue(entries);
    await writeFile(path.join(project.archive, 'index.json'), catalogue.json);
    await writeFile(path.join(project.archive, 'index.html'), catalogue.html);

    const verified = await runCli(['verify'], { cwd: project.dir });
    expect(verified.code, verified.stdout).toBe(1);
    const pdf = `2023-12/${memoName}/v1/${memoName}.pdf`;
    expect(verified.stdout).toContain(`signature  dist/archive/${pdf}: the manifest records a signature by Shixiang IR (certificate SHA-256 ${fingerprint}), but the PDF carries no signature`);
    expect(verified.stdout).toContain(`changed    dist/archive/${pdf}: the manifest records a PDF/A-3 file, but the PDF is not PDF/A-3 (no PDF/A identification or output intent)`);
    // v2 is untouched and still verifies as signed.
    expect(verified.stdout).not.toMatch(/^(signature|changed) .*\/v2\//m);
  });
});
