import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommitPoint } from '../../src/write/commit-point.ts';
import { runCli } from '../support/run-cli.ts';
import { memoName, memoSource, tempProject, treeDigest } from './archive-project.ts';

const versionsOf = async (archive: string): Promise<string[]> => readdir(path.join(archive, '2023-12', memoName)).catch(() => []);

describe('archive runs that overlap or die', () => {
  it('two archive commands at once store one version, and the archive verifies', async () => {
    const project = await tempProject();
    const [a, b] = await Promise.all([runCli(['archive'], { cwd: project.dir }), runCli(['archive'], { cwd: project.dir })]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const outcomes = [a.stdout, b.stdout].map((out) => out.split(/\s/)[0]).sort();
    expect(outcomes).toEqual(['added', 'unchanged']);
    expect(await versionsOf(project.archive)).toEqual(['v1']);
    expect((await runCli(['verify'], { cwd: project.dir })).code).toBe(0);
  });

  it('a run killed (SIGKILL) while writing leaves no version; the next run takes over its lock and succeeds', async () => {
    const project = await tempProject();
    // Held once the first file of the version is staged, and killed there: the writer is named by its staging folder.
    let writer: number | undefined;
    const killed = await runCli(['archive'], {
      cwd: project.dir,
      stopAt: {
        point: 'archive.staged-file',
        act: async (child) => {
          for (const name of await readdir(project.archive).catch(() => [])) {
            const match = /^\.tmp-(\d+)-2023-12/.exec(name);
            if (match && (await readdir(path.join(project.archive, name))).length >= 1) writer = Number(match[1]);
          }
          child.kill('SIGKILL');
        },
      },
    });
    expect(writer, 'the run never started writing a version').toBeDefined();
    expect(killed.code).not.toBe(0);
    expect(await versionsOf(project.archive)).toEqual([]);
    expect(await readdir(project.archive)).toContain('.lock');
    const interrupted = await runCli(['verify'], { cwd: project.dir });
    expect(interrupted.stdout).toMatch(/appeared .*\.tmp-\d+-2023-12-llm-observations.*interrupted archive run/);

    const next = await runCli(['archive'], { cwd: project.dir });
    expect(next.code, next.stderr).toBe(0);
    expect(await versionsOf(project.archive)).toEqual(['v1']);
    expect((await readdir(project.archive)).sort()).toEqual(['2023-12', 'index.html', 'index.json']);
    const verified = await runCli(['verify'], { cwd: project.dir });
    expect(verified.code, verified.stdout).toBe(0);
  });

  /** Starts an archive run held at `point`, and SIGKILLs it there; its writer is named by its journal, once `ready` holds. */
  async function killAt(dir: string, archive: string, point: CommitPoint, ready: () => Promise<boolean>): Promise<void> {
    let writer: number | undefined;
    const run = runCli(['archive'], {
      cwd: dir,
      stopAt: {
        point,
        act: async (child) => {
          const journal = (await readdir(archive)).map((n) => /^\.tmp-(\d+)-journal\.json$/.exec(n)).find(Boolean);
          if (journal && (await ready())) writer = Number(journal[1]);
          child.kill('SIGKILL');
        },
      },
    });
    const killed = await run;
    expect(writer, 'the run never reached the point to kill it at').toBeDefined();
    expect(killed.code).not.toBe(0);
  }

  it('killed after renaming a version into place but before the catalogue: the next run removes that version, byte for byte as before', async () => {
    const project = await tempProject();
    expect((await runCli(['archive'], { cwd: project.dir })).code).toBe(0);
    const before = await treeDigest(project.archive);
    await writeFile(project.memo, (await memoSource()).replace('比年初预期要难', '比年初预期更难'));
    await killAt(project.dir, project.archive, 'archive.version-renamed', async () => (await versionsOf(project.archive)).includes('v2'));
    expect(await readFile(path.join(project.archive, 'index.json'), 'utf8')).not.toContain('/v2/');

    const interrupted = await runCli(['verify'], { cwd: project.dir });
    expect(interrupted.code).toBe(1);
    expect(interrupted.stdout).toMatch(/^appeared .*\/v2: left by an interrupted archive run; the next `archive` removes it$/m);
    // The letter as it was: the next run finds it archived, rolls the dead run back, and adds nothing.
    await writeFile(project.memo, await memoSource());
    const next = await runCli(['archive'], { cwd: project.dir });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/^unchanged .*\/v1 /m);
    expect(await treeDigest(project.archive)).toEqual(before);
  });

  it('killed after the catalogue\'s index.json (the commit point): the next run completes it, and the chain verifies', async () => {
    const project = await tempProject();
    expect((await runCli(['archive'], { cwd: project.dir })).code).toBe(0);
    await writeFile(project.memo, (await memoSource()).replace('比年初预期要难', '比年初预期更难'));
    await killAt(project.dir, project.archive, 'archive.catalogue-committed', async () => (await readFile(path.join(project.archive, 'index.json'), 'utf8')).includes('/v2/'));
    expect(await readFile(path.join(project.archive, 'index.html'), 'utf8')).not.toContain('/v2/');

    const next = await runCli(['archive'], { cwd: project.dir });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/^unchanged .*\/v2 /m);
    expect(await readFile(path.join(project.archive, 'index.html'), 'utf8')).toContain('/v2/');
    expect((await readdir(project.archive)).sort()).toEqual(['2023-12', 'index.html', 'index.json']);
    const verified = await runCli(['verify'], { cwd: project.dir });
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toContain('ok         2 version(s)');
  });
});
