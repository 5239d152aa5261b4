import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { memoName, tempProject, versionDir } from './archive-project.ts';

/** The memo archived once; each check tampers with its own copy of that archive. */
describe('letterpress verify', () => {
  let original: string;
  beforeAll(async () => {
    const project = await tempProject();
    const result = await runCli(['archive'], { cwd: project.dir });
    if (result.code !== 0) throw new Error(result.stderr);
    original = project.archive;
  });

  const copy = async (): Promise<string> => {
    const archive = path.join(await mkdtemp(path.join(os.tmpdir(), 'letterpress-verify-')), 'archive');
    await cp(original, archive, { recursive: true });
    return archive;
  };
  const verify = (archive: string, ...args: string[]) => runCli(['verify', '--archive', archive, ...args]);
  const v1 = (archive: string, name: string): string => path.join(versionDir(archive, 1), name);

  it('passes an untouched archive', async () => {
    const result = await verify(await copy());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('ok         1 version(s), 3 file(s) match their manifests');
  });

  it('names a PDF with one byte changed (exit 1)', async () => {
    const archive = await copy();
    const pdf = await readFile(v1(archive, `${memoName}.pdf`));
    pdf.writeUInt8(pdf.readUInt8(pdf.length >> 1) ^ 0x01, pdf.length >> 1);
    await writeFile(v1(archive, `${memoName}.pdf`), pdf);
    const result = await verify(archive);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^changed .*2023-12/${memoName}/v1/${memoName}\\.pdf: sha256 `, 'm'));
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('names a file the manifest lists that is gone, and a file nobody archived', async () => {
    const archive = await copy();
    await rm(v1(archive, `${memoName}.html`));
    await writeFile(v1(archive, 'notes.txt'), 'stray');
    await writeFile(path.join(archive, 'stray.pdf'), 'stray');
    const result = await verify(archive);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^missing .*/v1/${memoName}\\.html: named in the manifest`, 'm'));
    expect(result.stdout).toMatch(/^appeared .*\/v1\/notes\.txt: no manifest names it/m);
    expect(result.stdout).toMatch(/^appeared .*archive\/stray\.pdf: no manifest names it/m);
  });

  it('names a manifest edited to stay self-consistent (the catalogue recorded its hash)', async () => {
    const archive = await copy();
    const manifest = v1(archive, 'manifest.json');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('"pages": ', '"pages": 1'));
    const result = await verify(archive);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^changed .*\/v1\/manifest\.json: sha256 .*the catalogue recorded/m);
    await appendFile(manifest, 'not json');
    expect((await verify(archive)).stdout).toMatch(/^changed .*\/v1\/manifest\.json: .*is not JSON/m);
  });

  it('--rebuild: the archived source builds to the same PDF and HTML bytes, in two separate processes', async () => {
    const archive = await copy();
    for (let run = 1; run <= 2; run++) {
      const result = await verify(archive, '--rebuild');
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^rebuilt .*2023-12/${memoName}/v1: PDF byte-identical, HTML byte-identical$`, 'm'));
    }
  });

  it('--rebuild reports a PDF that no longer matches what its source builds to', async () => {
    const archive = await copy();
    // A different PDF with a self-consistent manifest and catalogue would pass the hash check; only a rebuild can catch it.
    const pdf = await readFile(v1(archive, `${memoName}.pdf`));
    pdf.writeUInt8(pdf.readUInt8(pdf.length >> 1) ^ 0x01, pdf.length >> 1);
    await writeFile(v1(archive, `${memoName}.pdf`), pdf);
    const result = await verify(archive, '--rebuild');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^differs .*\/v1: PDF differs, HTML byte-identical/m);
  });
});
