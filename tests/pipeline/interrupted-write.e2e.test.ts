import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../support/run-cli.ts';

const memo = path.join(projectRoot, 'content/2023-12-llm-observations.md');

/** Every file of a folder with its sha256. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, createHash('sha256').update(await readFile(path.join(dir, n))).digest('hex')] as const)));
}

describe('a build stopped while it writes its outputs', () => {
  let dir: string;
  let before: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-write-stop-'));
    // The earlier outputs, and a changed source, so that a new build would write other bytes.
    await copyFile(memo, path.join(dir, 'letter.md'));
    const first = await runCli(['build', 'letter.md', '--out', 'out'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    before = await snapshot(path.join(dir, 'out'));
    const source = await readFile(memo, 'utf8');
    await writeFile(path.join(dir, 'letter.md'), source.replace('预期要难', '预期更难'));
  });

  /** Runs the build, holds it once its first temporary output is written, and sends it `signal` there. */
  const stopWhileWriting = (signal: NodeJS.Signals) =>
    runCli(['build', 'letter.md', '--out', 'out'], {
      cwd: dir,
      stopAt: { point: 'write.temporary', act: (child) => void child.kill(signal) },
    });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s: exit 130 with a message, the earlier outputs byte-identical, no temporary left', async (signal) => {
    const result = await stopWhileWriting(signal);
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/^letterpress: interrupted/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await snapshot(path.join(dir, 'out'))).toEqual(before);
  });

  it('kill -9: the earlier outputs stay whole, and the next run removes what was left and writes the new ones together', async () => {
    const killed = await stopWhileWriting('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const after = await snapshot(path.join(dir, 'out'));
    // The old outputs are untouched; only the dead run's temporary is there besides them.
    for (const [name, hash] of Object.entries(before)) expect(after[name], name).toBe(hash);
    expect(Object.keys(after).filter((n) => !(n in before)).every((n) => n.endsWith('.tmp'))).toBe(true);
    const next = await runCli(['build', 'letter.md', '--out', 'out'], { cwd: dir });
    expect(next.code, next.stderr).toBe(0);
    const rebuilt = await snapshot(path.join(dir, 'out'));
    expect(Object.keys(rebuilt)).toEqual(Object.keys(before));
    for (const name of Object.keys(before)) expect(rebuilt[name], name).not.toBe(before[name]);
  });
});
