import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { memoName, tempProject } from './archive-project.ts';

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
    // The pause after each file of the version gives the test time to kill the writer mid-version.
    const run = runCli(['archive'], { cwd: project.dir, env: { LETTERPRESS_ARCHIVE_PAUSE_MS: '1000' } });
    let writer: number | undefined;
    for (let i = 0; i < 600 && writer === undefined; i++) {
      await sleep(100);
      for (const name of await readdir(project.archive).catch(() => [])) {
        const match = /^\.tmp-(\d+)-2023-12/.exec(name);
        if (match && (await readdir(path.join(project.archive, name))).length >= 1) writer = Number(match[1]);
      }
    }
    expect(writer, 'the run never started writing a version').toBeDefined();
    // The node process that writes (tsx runs the CLI in a child of the one we spawned).
    process.kill(writer!, 'SIGKILL');
    const killed = await run;
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
});
