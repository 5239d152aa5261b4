import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryFor } from '../../src/write/write-atomic.ts';
import { runCli } from '../support/run-cli.ts';

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

/**
 * A folder of outputs as a build killed after its journal leaves it: one new
 * output renamed into place, the other still a temporary, and the journal.
 */
async function mixedFolder(): Promise<{ dir: string; out: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-mixed-'));
  const out = path.join(dir, 'dist');
  await mkdir(out);
  const pid = deadPid();
  await writeFile(path.join(out, 'a.html'), 'new html');
  await writeFile(path.join(out, 'a.pdf'), 'old pdf');
  await writeFile(temporaryFor(path.join(out, 'a.pdf'), pid), 'new pdf');
  await writeFile(path.join(out, `.letterpress-journal.${pid}.json`), JSON.stringify(['a.html', 'a.pdf']));
  return { dir, out };
}

describe('a folder a killed build left mixed is completed at the start of the next command', () => {
  it('build, even one that stops at a letter’s error before its own write', async () => {
    const { dir, out } = await mixedFolder();
    await writeFile(path.join(dir, 'bad.md'), '---\ntitle: 坏\n---\n正文\n');
    const result = await runCli(['build', 'bad.md', '--out', 'dist', '--html-only'], { cwd: dir });
    expect(result.code, result.stderr).toBe(1);
    expect((await readdir(out)).sort()).toEqual(['a.html', 'a.pdf']);
    expect(await readFile(path.join(out, 'a.pdf'), 'utf8')).toBe('new pdf');
  });

  it('verify FILE.pdf reads the new output, never the old one beside a journal', async () => {
    const { dir, out } = await mixedFolder();
    const verified = await runCli(['verify', 'dist/a.pdf'], { cwd: dir });
    // The new output is read (it is no PDF: the test writes placeholder bytes), and said to be unreadable in one line.
    expect(verified.stdout).toBe('INVALID    dist/a.pdf: no signature can be read — the file’s structure cannot be followed: the file does not end with startxref … %%EOF: not a complete PDF\n');
    expect((await readdir(out)).sort()).toEqual(['a.html', 'a.pdf']);
    expect(await readFile(path.join(out, 'a.pdf'), 'utf8')).toBe('new pdf');
  });

  it('a journal naming files outside the folder: refused in one line, nothing touched', async () => {
    const { dir, out } = await mixedFolder();
    const journal = (await readdir(out)).find((n) => n.startsWith('.letterpress-journal.'))!;
    await writeFile(path.join(out, journal), JSON.stringify(['../victim.pdf']));
    const result = await runCli(['build', 'bad.md', '--out', 'dist', '--html-only'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^letterpress: \S+\/dist\/\.letterpress-journal\.\d+\.json: a journal of an unfinished write that letterpress cannot complete/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(path.join(out, 'a.pdf'), 'utf8')).toBe('old pdf');
  });
});
