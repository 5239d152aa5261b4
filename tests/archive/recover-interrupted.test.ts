import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { deadRuns, recoverInterrupted } from '../../src/archive/commit-versions.ts';

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

let root: string;
let archive: string;
let pid: number;

/** A version folder with a manifest (its bytes are all recovery looks at); returns the manifest's hash. */
async function version(rel: string, text = `{"v":"${rel}"}\n`): Promise<string> {
  await mkdir(path.join(archive, rel), { recursive: true });
  await writeFile(path.join(archive, rel, 'manifest.json'), text);
  await writeFile(path.join(archive, rel, 'letter.pdf'), 'pdf');
  return sha256(text);
}
/** A catalogue (index.json, or a run's staged copy) listing these manifests. */
const catalogue = (listed: Record<string, string>): string =>
  JSON.stringify({ letters: [{ versions: Object.entries(listed).map(([rel, hash]) => ({ manifest: { href: `${rel}/manifest.json`, sha256: hash } })) }] });
const journal = (versions: Record<string, string>): string => JSON.stringify({ versions: Object.entries(versions).map(([rel, manifestSha256]) => ({ rel, manifestSha256 })) });

/** Every entry under `dir`, never following links. */
async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'letterpress-recover-'));
  archive = path.join(root, 'archive');
  pid = deadPid();
  const v1 = await version('2024-01/memo/v1');
  await writeFile(path.join(archive, 'index.json'), catalogue({ '2024-01/memo/v1': v1 }));
});

describe('recovery of a dead archive run, against planted files', () => {
  it('rolls back a real run killed before its commit: the version it renamed, its temporaries', async () => {
    const v1 = sha256(await readFile(path.join(archive, '2024-01/memo/v1/manifest.json'), 'utf8'));
    const before = await tree(archive);
    const v2 = await version('2024-01/memo/v2');
    await writeFile(path.join(archive, `.tmp-${pid}-index.json`), catalogue({ '2024-01/memo/v1': v1, '2024-01/memo/v2': v2 }));
    await writeFile(path.join(archive, `.tmp-${pid}-index.html`), '<html>');
    await writeFile(path.join(archive, `.tmp-${pid}-journal.json`), journal({ '2024-01/memo/v2': v2 }));
    await recoverInterrupted(archive);
    expect(await tree(archive)).toEqual(before);
  });

  it('a journal and staged catalogue naming a folder outside the archive: nothing is touched', async () => {
    const victim = await version('../victim/important');
    await writeFile(path.join(archive, `.tmp-${pid}-index.json`), catalogue({ '../victim/important': victim }));
    await writeFile(path.join(archive, `.tmp-${pid}-journal.json`), journal({ '../victim/important': victim }));
    const before = await tree(root);
    await recoverInterrupted(archive);
    expect(await tree(root)).toEqual(before);
    const [run] = await deadRuns(archive);
    expect(run?.journal).toEqual({ kind: 'unmatched', reason: 'it names "../victim/important", which is not a version\'s place in the archive' });
  });

  it('a journal and staged catalogue naming a version index.json lists: it stays', async () => {
    const v1 = sha256(await readFile(path.join(archive, '2024-01/memo/v1/manifest.json'), 'utf8'));
    await writeFile(path.join(archive, `.tmp-${pid}-index.json`), catalogue({ '2024-01/memo/v1': v1, '2024-01/memo/v9': v1 }));
    await writeFile(path.join(archive, `.tmp-${pid}-journal.json`), journal({ '2024-01/memo/v1': v1, '2024-01/memo/v9': v1 }));
    const before = await tree(archive);
    await recoverInterrupted(archive);
    expect(await tree(archive)).toEqual(before);
  });

  it('index.json deleted, and a journal naming the newest version: the archive holds others, so nothing goes', async () => {
    const v2 = await version('2024-01/memo/v2');
    await rm(path.join(archive, 'index.json'));
    await writeFile(path.join(archive, `.tmp-${pid}-index.json`), catalogue({ '2024-01/memo/v2': v2 }));
    await writeFile(path.join(archive, `.tmp-${pid}-journal.json`), journal({ '2024-01/memo/v2': v2 }));
    const before = await tree(archive);
    await recoverInterrupted(archive);
    expect(await tree(archive)).toEqual(before);
  });

  it('a journal naming a version that is not the newest of its letter: nothing goes', async () => {
    const v2 = await version('2024-02/memo/v2');
    await version('2024-02/memo/v3');
    await writeFile(path.join(archive, `.tmp-${pid}-index.json`), catalogue({ '2024-02/memo/v2': v2 }));
    await writeFile(path.join(archive, `.tmp-${pid}-journal.json`), journal({ '2024-02/memo/v2': v2 }));
    const before = await tree(archive);
    await recoverInterrupted(archive);
    expect(await tree(archive)).toEqual(before);
  });

  it('a version folder that is a link, named by a journal: neither it nor what it points to goes', async () => {
    const elsewhere = path.join(root, 'elsewhere');
    await mkdir(elsewhere);
    await writeFile(path.join(elsewhere, 'manifest.json'), '{}');
    await symlink(elsewhere, path.join(archive, '2024-01/memo/v2'));
    await writeFile(path.join(archive, `.tmp-${pid}-index.json`), catalogue({ '2024-01/memo/v2': sha256('{}') }));
    await writeFile(path.join(archive, `.tmp-${pid}-journal.json`), journal({ '2024-01/memo/v2': sha256('{}') }));
    const before = await tree(root);
    await recoverInterrupted(archive);
    expect(await tree(root)).toEqual(before);
  });

  it('temporaries of the wrong kind are left: a "staging folder" that is a link out, an "index" that is a folder', async () => {
    const elsewhere = path.join(root, 'elsewhere');
    await mkdir(elsewhere);
    await writeFile(path.join(elsewhere, 'keep.txt'), 'keep');
    await symlink(elsewhere, path.join(archive, `.tmp-${pid}-memo`));
    await mkdir(path.join(archive, `.tmp-${pid}-index.json`));
    await writeFile(path.join(archive, `.tmp-${pid}-lock-00000000-0000-0000-0000-000000000000`), `${pid} x\n`);
    await recoverInterrupted(archive);
    expect(await readFile(path.join(elsewhere, 'keep.txt'), 'utf8')).toBe('keep');
    expect((await readdir(archive)).filter((n) => n.startsWith('.tmp-')).sort()).toEqual([`.tmp-${pid}-index.json`, `.tmp-${pid}-memo`]);
  });

  it('a journal cut short (not JSON) is a run killed while writing it: removed with its temporaries', async () => {
    await writeFile(path.join(archive, `.tmp-${pid}-journal.json`), '{"versions":[{"rel":"2024');
    await mkdir(path.join(archive, `.tmp-${pid}-memo`));
    await writeFile(path.join(archive, `.tmp-${pid}-memo`, 'letter.pdf'), 'half');
    await recoverInterrupted(archive);
    expect((await readdir(archive)).sort()).toEqual(['2024-01', 'index.json']);
  });
});
