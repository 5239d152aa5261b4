import { cp, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestSchema, serializeManifest, sha256Of } from '../../src/archive/manifest.ts';
import { runCli } from '../support/run-cli.ts';
import { memoName, memoSource, tempProject, treeDigest, versionDir } from './archive-project.ts';

/**
 * The memo archived as v1 and v2 (one character changed); each attack works on
 * its own copy. After each, `verify` fails naming what was done, and a routine
 * `archive` run refuses (exit 1, one line) and leaves every byte as it was: it
 * never launders the damage by rewriting the catalogue.
 */
describe('the archive is a hash chain that a routine run cannot launder', () => {
  let original: string;
  let editedMemo: string;
  beforeAll(async () => {
    const project = await tempProject();
    for (const edit of [(s: string) => s, (s: string) => s.replace('比年初预期要难', '比年初预期更难')]) {
      await writeFile(project.memo, edit(await memoSource()));
      const result = await runCli(['archive'], { cwd: project.dir });
      if (result.code !== 0) throw new Error(result.stderr);
    }
    original = project.archive;
    editedMemo = await readFile(project.memo, 'utf8');
  }, 120_000);

  /** A project whose content/ holds the memo as last archived, and a copy of the archive. */
  const copy = async (): Promise<{ dir: string; archive: string }> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-chain-'));
    await mkdir(path.join(dir, 'content'));
    await writeFile(path.join(dir, 'content', `${memoName}.md`), editedMemo);
    await cp(original, path.join(dir, 'dist/archive'), { recursive: true });
    return { dir, archive: path.join(dir, 'dist/archive') };
  };
  const file = (archive: string, n: number, name: string): string => path.join(versionDir(archive, n), name);
  const manifestOf = async (archive: string, n: number) => manifestSchema.parse(JSON.parse(await readFile(file(archive, n, 'manifest.json'), 'utf8')));

  /** verify fails with these lines; then a routine archive run refuses and changes nothing; verify still fails. */
  async function expectRefused(project: { dir: string; archive: string }, findings: RegExp[]): Promise<void> {
    const verified = await runCli(['verify'], { cwd: project.dir });
    expect(verified.code, verified.stderr).toBe(1);
    for (const finding of findings) expect(verified.stdout).toMatch(finding);
    expect(verified.stderr).not.toMatch(/\n\s+at /);

    const before = await treeDigest(project.archive);
    const routine = await runCli(['archive'], { cwd: project.dir });
    expect(routine.code).toBe(1);
    const lines = routine.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^letterpress: the archive does not verify, so nothing was added: .*; see `letterpress verify`, and restore the archive from git$/);
    expect(routine.stderr).not.toMatch(/\n\s+at /);
    expect(routine.stdout).toBe('');
    expect(await treeDigest(project.archive)).toEqual(before);
    expect((await runCli(['verify'], { cwd: project.dir })).code).toBe(1);
  }

  it('each manifest holds the sha256 of the manifest before it; v1 holds null', async () => {
    const { archive } = await copy();
    expect((await manifestOf(archive, 1)).previous).toBeNull();
    expect((await manifestOf(archive, 2)).previous).toBe(sha256Of(await readFile(file(archive, 1, 'manifest.json'))));
    const verified = await runCli(['verify', '--archive', archive]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toContain('ok         2 version(s), 6 file(s) match their manifests, every chain holds');
    // The head to anchor outside the archive (git, a signature).
    expect(verified.stdout).toContain(`head       2023-12/${memoName}/v2: manifest sha256 ${sha256Of(await readFile(file(archive, 2, 'manifest.json')))}`);
  });

  it('a forged v1 (PDF and manifest made consistent, catalogue rewritten to match) breaks the link from v2', async () => {
    const project = await copy();
    const { archive } = project;
    const pdf = await readFile(file(archive, 1, `${memoName}.pdf`));
    pdf.writeUInt8(pdf.readUInt8(pdf.length >> 1) ^ 0x01, pdf.length >> 1);
    await writeFile(file(archive, 1, `${memoName}.pdf`), pdf);
    const manifest = await manifestOf(archive, 1);
    manifest.files[`${memoName}.pdf`] = { sha256: sha256Of(pdf), bytes: pdf.length };
    const forged = serializeManifest(manifest);
    await writeFile(file(archive, 1, 'manifest.json'), forged);
    // The catalogue too, so only the chain can tell.
    const index = path.join(archive, 'index.json');
    await writeFile(index, (await readFile(index, 'utf8')).replace(sha256Of(await readFile(path.join(original, '2023-12', memoName, 'v1/manifest.json'))), sha256Of(forged)));
    await expectRefused(project, [new RegExp(`^changed .*/v2/manifest\\.json: the chain is broken: \`previous\` is [0-9a-f]{64}, but v1's manifest hashes to ${sha256Of(forged)}$`, 'm')]);
  });

  it('a whole version deleted: the newest (the catalogue lists it), or one inside the chain (a gap)', async () => {
    const newest = await copy();
    await rm(versionDir(newest.archive, 2), { recursive: true });
    await expectRefused(newest, [/^missing .*2023-12\/2023-12-llm-observations\/v2: the catalogue lists this version; its folder is gone$/m]);

    const inside = await copy();
    await rm(versionDir(inside.archive, 1), { recursive: true });
    await expectRefused(inside, [/^missing .*\/v1: a version is gone from the chain \(the letter has v2\)$/m]);
  });

  it('a fake v3, self-consistent and chained to v2, is named as a version the catalogue does not list', async () => {
    const project = await copy();
    await cp(versionDir(project.archive, 2), versionDir(project.archive, 3), { recursive: true });
    const manifest = await manifestOf(project.archive, 2);
    await writeFile(file(project.archive, 3, 'manifest.json'), serializeManifest({ ...manifest, version: 3, previous: sha256Of(await readFile(file(project.archive, 2, 'manifest.json'))) }));
    await expectRefused(project, [/^appeared .*\/v3: a version the catalogue does not list: `letterpress archive` did not add it$/m]);
  });

  it('a PDF replaced by a symbolic link to an identical copy outside the archive', async () => {
    const project = await copy();
    const pdf = file(project.archive, 1, `${memoName}.pdf`);
    const outside = path.join(project.dir, 'elsewhere.pdf');
    await rename(pdf, outside);
    await symlink(outside, pdf);
    await expectRefused(project, [/^symlink .*\/v1\/2023-12-llm-observations\.pdf: a symbolic link, but the archive holds only its own files/m]);
  });

  it('a whole version folder replaced by a symbolic link to an identical copy', async () => {
    const project = await copy();
    const outside = path.join(project.dir, 'v2-elsewhere');
    await rename(versionDir(project.archive, 2), outside);
    await symlink(outside, versionDir(project.archive, 2));
    await expectRefused(project, [/^symlink .*2023-12-llm-observations\/v2: a symbolic link, but the archive holds only its own files/m]);
  });

  it('a version folder without a manifest is a finding, not a stack trace', async () => {
    const project = await copy();
    await mkdir(versionDir(project.archive, 3));
    await writeFile(file(project.archive, 3, `${memoName}.pdf`), 'not archived');
    await expectRefused(project, [/^missing .*\/v3\/manifest\.json: the version folder has no manifest: letterpress did not write it, or its manifest was deleted$/m]);
  });

  it('a manifest written before the chain (no `previous`) does not verify', async () => {
    const project = await copy();
    const manifest: Record<string, unknown> = { ...(await manifestOf(project.archive, 1)) };
    delete manifest.previous;
    await writeFile(file(project.archive, 1, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await expectRefused(project, [/^changed .*\/v1\/manifest\.json: .*has no `previous` hash: it was written before the archive was a hash chain/m]);
  });

  it('the catalogue deleted: restored from git, not rewritten from the manifests', async () => {
    const project = await copy();
    await rm(path.join(project.archive, 'index.json'));
    await expectRefused(project, [/^missing .*archive\/index\.json: the catalogue is gone; restore it from git/m]);
  });
});
