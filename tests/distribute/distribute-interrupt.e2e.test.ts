import { execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli, type CliResult } from '../support/run-cli.ts';

const memo = path.join(projectRoot, 'content/2023-12-llm-observations.md');
const slug = '2023-12-llm-observations';
const list = (n: number): string => `id,name\n${Array.from({ length: n }, (_, i) => `lp-${i + 1},Person ${i + 1}`).join('\n')}\n`;
const interrupted = 'letterpress: interrupted: no copy was written, and an earlier distribution is as it was';

/** Every file under `dir` with its sha256 (the folder's whole state). */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  return Object.fromEntries(await Promise.all(files.sort().map(async (f) => [f, createHash('sha256').update(await readFile(path.join(dir, f))).digest('hex')] as const)));
}

/**
 * Why qpdf does not take a PDF file for an encrypted one (it cannot open it
 * without a password), or nothing when it does. A qpdf that could not be
 * started (a loaded machine: EAGAIN) is asked again.
 */
function notEncrypted(file: string, tries = 3): string | undefined {
  try {
    execFileSync('qpdf', ['--check', file], { stdio: 'pipe' });
    return 'qpdf opens it without a password';
  } catch (error) {
    const { stderr, status } = error as { stderr?: Buffer; status?: number | null };
    if ((status === null || status === undefined) && tries > 1) return notEncrypted(file, tries - 1);
    const said = String(stderr ?? '');
    return /invalid password/.test(said) ? undefined : `qpdf (exit ${String(status)}): ${said.trim() || String(error)}`;
  }
}

/**
 * What plaintext a file a run left holds, or nothing: a whole copy is
 * encrypted; a copy still being written (another core's, when the run is held
 * or killed) is the start of an encrypted one, none of whose streams
 * inflates; any other file (an unnamed file killed before its name was
 * removed, which is still empty) holds no copy's Info in clear, where the
 * recipient's id is written as UTF-16 in hex.
 */
async function plaintextIn(file: string): Promise<string | undefined> {
  const data = await readFile(file);
  if (!file.endsWith('.pdf')) return data.toString('latin1').includes(Buffer.from('\ufefflp-', 'utf16le').swap16().toString('hex').toUpperCase()) ? 'a copy’s Info in clear' : undefined;
  const encryption = notEncrypted(file);
  if (encryption === undefined) return undefined;
  if (/%%EOF\s*$/.test(data.subarray(-32).toString('latin1'))) return `a whole copy, not encrypted (${encryption})`;
  return streams(data).some(inflates) ? `part of a copy whose streams inflate (${encryption})` : undefined;
}

/** The data of every stream written whole in `pdf`, but cross-reference streams (which encryption leaves in clear). */
function streams(pdf: Buffer): Buffer[] {
  const text = pdf.toString('latin1');
  return [...text.matchAll(/stream\r?\n([\s\S]*?)(?:\r?\n)?endstream/g)]
    .filter((m) => !text.slice(text.lastIndexOf(' obj', m.index), m.index).includes('/XRef'))
    .map((m) => pdf.subarray(m.index + m[0].indexOf(m[1]!), m.index + m[0].indexOf(m[1]!) + m[1]!.length));
}

/** Whether `data` is a zlib stream: plaintext Flate data inflates, encrypted data does not. */
function inflates(data: Buffer): boolean {
  try {
    inflateSync(data);
    return true;
  } catch {
    return false;
  }
}

/** The staging folders of the run with this pid, beside `copies`. */
const stagingOf = async (dir: string, pid: number): Promise<string[]> => (await readdir(dir)).filter((n) => n.startsWith(`.copies.tmp-${pid}-`));

/** Runs distribute held once its first copy is made, and calls `act` with the child there. */
function distributeHeld(dir: string, args: string[], act: (child: ChildProcess) => Promise<void> | void): Promise<CliResult> {
  return runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', ...args], { cwd: dir, stopAt: { point: 'distribute.copy-made', act } });
}

/** Runs distribute; when stderr matches `when`, calls `act` with the child. */
function distributeUntil(dir: string, args: string[], when: RegExp, act: (child: ChildProcess) => Promise<void> | void): Promise<CliResult> {
  return runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', ...args], {
    cwd: dir,
    onSpawn: (child) => {
      let seen = '';
      let acted = false;
      child.stderr!.on('data', (d: Buffer) => {
        seen += d.toString();
        if (!acted && when.test(seen)) {
          acted = true;
          void act(child);
        }
      });
    },
  });
}

describe('distribute interrupted: exit 130, a message, nothing left, an earlier distribution untouched', () => {
  it('Ctrl-C while the letter is being built', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-interrupt-test-'));
    await writeFile(path.join(dir, 'lps.csv'), list(2));
    let pid = 0;
    const result = await distributeUntil(dir, [], /^letterpress markdown/m, (child) => {
      pid = child.pid!;
      child.kill('SIGINT');
    });
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(interrupted);
    expect(await readdir(dir)).toEqual(['lps.csv']);
    expect((await readdir(os.tmpdir())).filter((n) => n.startsWith(`letterpress-distribute-build-${pid}-`) || n.startsWith(`letterpress-chromium-${pid}-`))).toEqual([]);
  });

  it('SIGTERM between encrypted copies: no plaintext ever in the staging folder, which is then removed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-interrupt-test-'));
    await mkdir(path.join(dir, 'secret'));
    await writeFile(path.join(dir, 'lps.csv'), list(2));
    const encrypt = ['--encrypt', '--passwords', 'secret/passwords.csv'];
    const first = await runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', ...encrypt], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const before = await snapshot(dir);

    await writeFile(path.join(dir, 'lps.csv'), list(3));
    const lists = await snapshot(dir);
    let staged: string[] = [];
    const result = await distributeHeld(dir, encrypt, async (child) => {
      const [staging] = await stagingOf(dir, child.pid!);
      staged = await readdir(path.join(dir, staging!));
      for (const file of staged) expect(await plaintextIn(path.join(dir, staging!, file)), file).toBeUndefined();
      child.kill('SIGTERM');
    });
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(interrupted);
    // Held after the first copy made (on either core; the other may have finished one too): encrypted copies, and nothing else (no `.plain`).
    expect(staged.some((f) => f.startsWith(`${slug}-lp-`) && f.endsWith('.pdf'))).toBe(true);
    expect(staged.every((f) => f.startsWith(`${slug}-lp-`) || f.startsWith('.unnamed-')), staged.join()).toBe(true);
    expect(await snapshot(dir)).toEqual(lists);
    expect(Object.keys(lists).filter((f) => !(f in before))).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['copies', 'lps.csv', 'secret']);
    expect(await readdir(path.join(dir, 'secret'))).toEqual(['passwords.csv']);
  }, 240_000);

  it('kill -9 between putting the copies in place and their passwords: the next run puts the passwords in place, never removes them', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-interrupt-test-'));
    await mkdir(path.join(dir, 'secret'));
    await writeFile(path.join(dir, 'lps.csv'), list(2));
    await writeFile(path.join(dir, 'bad.md'), '---\ntitle: x\n---\n\nbody\n');
    const encrypt = ['--encrypt', '--passwords', 'secret/passwords.csv'];
    const first = await runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', ...encrypt], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const earlier = await readFile(path.join(dir, 'secret/passwords.csv'), 'utf8');

    await writeFile(path.join(dir, 'lps.csv'), list(3));
    let pid = 0;
    const killed = await runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', ...encrypt], {
      cwd: dir,
      stopAt: {
        point: 'distribute.copies-placed',
        act: async (child) => {
          pid = child.pid!;
          // The copies are in place: the folder's manifest lists three.
          expect((JSON.parse(await readFile(path.join(dir, 'copies/distribution.json'), 'utf8')) as { copies: unknown[] }).copies).toHaveLength(3);
          child.kill('SIGKILL');
        },
      },
    });
    expect(killed.signal).toBe('SIGKILL');
    // Killed between the two: the new copies beside the earlier passwords, the new passwords still under their temporary name.
    expect(await readFile(path.join(dir, 'secret/passwords.csv'), 'utf8')).toBe(earlier);
    expect((await readdir(path.join(dir, 'secret'))).sort()).toEqual(['passwords.csv', `passwords.csv.${pid}.tmp`]);
    const pending = await readFile(path.join(dir, `secret/passwords.csv.${pid}.tmp`), 'utf8');

    // The next run (here one that then fails on its letter) finishes the earlier one first.
    const next = await runCli(['distribute', 'bad.md', '--recipients', 'lps.csv', '--out', 'copies', ...encrypt], { cwd: dir });
    expect(next.code, next.stderr).toBe(1);
    expect(next.stderr).toMatch(/finished the earlier distribution: its passwords are now in .*secret\/passwords\.csv/);
    expect(await readdir(path.join(dir, 'secret'))).toEqual(['passwords.csv']);
    expect(await readFile(path.join(dir, 'secret/passwords.csv'), 'utf8')).toBe(pending);
    // Each copy in place opens with its password from that file.
    for (const line of pending.trim().split('\n').slice(1)) {
      const [, , , file, password] = line.split(',');
      expect(execFileSync('qpdf', [`--password=${password}`, '--show-encryption', path.join(dir, 'copies', file!)], { encoding: 'utf8' })).toContain('Supplied password is user password');
    }
    // Two distributions with the letter printed: twice a one-run test's time.
  }, 240_000);

  it('kill -9 between copies: what it leaves holds no plaintext, and the next run removes it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-interrupt-test-'));
    await mkdir(path.join(dir, 'secret'));
    await writeFile(path.join(dir, 'lps.csv'), list(2));
    const encrypt = ['--encrypt', '--passwords', 'secret/passwords.csv'];
    let pid = 0;
    const killed = await distributeHeld(dir, encrypt, (child) => {
      pid = child.pid!;
      child.kill('SIGKILL');
    });
    expect(killed.signal).toBe('SIGKILL');
    const [staging] = await stagingOf(dir, pid);
    expect(staging, 'a kill -9 leaves its staging folder').toBeDefined();
    for (const file of await readdir(path.join(dir, staging!))) expect(await plaintextIn(path.join(dir, staging!, file)), file).toBeUndefined();

    const next = await runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', ...encrypt], { cwd: dir });
    expect(next.code, next.stderr).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['copies', 'lps.csv', 'secret']);
    expect(await readdir(path.join(dir, 'secret'))).toEqual(['passwords.csv']);
    expect((await readdir(os.tmpdir())).filter((n) => n.startsWith(`letterpress-distribute-build-${pid}-`))).toEqual([]);
  });
});
