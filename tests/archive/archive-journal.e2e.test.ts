import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, nodeArgs, runCli, runProcess } from '../support/run-cli.ts';
import { memoName, tempProject, treeDigest, versionDir } from './archive-project.ts';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
// A pid no process has (above the kernel's pid_max default): the journal looks like a dead run's.
const deadPid = 3999998;

/**
 * A journal planted in the archive (by anyone who can commit to its
 * repository) never makes `archive` delete anything: not a folder outside the
 * archive, not a version index.json lists. It is reported and left alone.
 */
describe('a planted journal of an interrupted run', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  let before: string[];
  beforeAll(async () => {
    project = await tempProject();
    const first = await runCli(['archive'], { cwd: project.dir });
    if (first.code !== 0) throw new Error(first.stderr);
    before = await treeDigest(project.archive);
  }, 180_000);

  it('naming a folder outside the archive: nothing is deleted, archive and verify name the journal (exit 1)', async () => {
    const victim = path.join(project.archive, '../victim/important');
    await mkdir(victim, { recursive: true });
    await writeFile(path.join(victim, 'manifest.json'), '{"keep":true}\n');
    const journal = path.join(project.archive, `.tmp-${deadPid}-journal.json`);
    const manifestSha256 = sha256(await readFile(path.join(victim, 'manifest.json')));
    await writeFile(journal, JSON.stringify({ versions: [{ rel: '../victim/important', manifestSha256 }] }));

    const archived = await runCli(['archive'], { cwd: project.dir });
    expect(await readdir(victim)).toEqual(['manifest.json']);
    expect(archived.code, archived.stderr).toBe(1);
    expect(archived.stderr).toContain(`.tmp-${deadPid}-journal.json`);
    expect(archived.stderr).not.toMatch(/\n\s+at /);
    const verified = await runCli(['verify'], { cwd: project.dir });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(new RegExp(`^appeared .*\\.tmp-${deadPid}-journal\\.json: a journal that does not match the archive`, 'm'));
    // Left alone: the journal is still there, the archive as it was.
    expect(await readdir(project.archive)).toContain(`.tmp-${deadPid}-journal.json`);
    await import('node:fs/promises').then((fs) => fs.rm(journal));
    expect(await treeDigest(project.archive)).toEqual(before);
  });

  it('naming a version index.json lists (with its real manifest hash): the version stays', async () => {
    const v1 = versionDir(project.archive, 1);
    const manifestSha256 = sha256(await readFile(path.join(v1, 'manifest.json')));
    const journal = path.join(project.archive, `.tmp-${deadPid}-journal.json`);
    const rel = `2023-12/${memoName}`;
    await writeFile(journal, JSON.stringify({ versions: [{ rel: `${rel}/v1`, manifestSha256 }, { rel: `${rel}/v9`, manifestSha256 }] }));

    const archived = await runCli(['archive'], { cwd: project.dir });
    expect(archived.code, archived.stderr).toBe(1);
    expect(await readdir(v1)).toContain(`${memoName}.pdf`);
    expect(archived.stderr).toContain(`.tmp-${deadPid}-journal.json`);
    await import('node:fs/promises').then((fs) => fs.rm(journal));
    expect(await treeDigest(project.archive)).toEqual(before);
    const verified = await runCli(['verify'], { cwd: project.dir });
    expect(verified.code, verified.stdout).toBe(0);
  });
});

describe('archive onto a full disk (ENOSPC)', () => {
  it('ends in one line, exit 1, and leaves the archive byte-identical, with no temporary behind', async () => {
    const project = await tempProject();
    const mountPoint = path.join(project.dir, 'disk');
    await mkdir(mountPoint);
    // A 300 KB disk: the lock and the staging folder can be made, the version's PDF cannot be written.
    const script = `
      disk="$1"; node="$2"; shift 2
      mount -t tmpfs -o size=300k tmpfs "$disk" || exit 9
      "$node" "$@" 1>/dev/null
      echo "exit=$?"
      ls -A "$disk/archive"
    `;
    const args = nodeArgs(cli, ['archive', '--archive', path.join(mountPoint, 'archive')]);
    const result = await runProcess('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', mountPoint, process.execPath, ...args], { cwd: project.dir });
    expect(result.stdout, result.stderr).toContain('exit=1');
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('letterpress: '));
    expect(lines, result.stderr).toEqual([expect.stringMatching(/ENOSPC: the disk is full; free space and run again$/)]);
    // Nothing in the archive's folder: no version, no staging folder, no lock, no temporary.
    expect(result.stdout.trim().split('\n').slice(1)).toEqual([]);
  });
});
