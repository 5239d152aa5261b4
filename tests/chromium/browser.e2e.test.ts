import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BrowserError } from '../../src/chromium/browser-error.ts';
import { withBrowser } from '../../src/chromium/browser.ts';
import { processTree, stillRunning, waitFor } from '../support/processes.ts';
import { cli, nodeArgs, projectRoot, runCli } from '../support/run-cli.ts';

const memo = 'content/2023-12-llm-observations.md';
const tempDir = (): Promise<string> => mkdtemp(path.join(os.tmpdir(), 'letterpress-browser-test-'));
/** Chromium's profile folders of the run with this pid (the folder's name is the run's marker). */
const profilesOf = async (pid: number): Promise<string[]> => (await readdir(os.tmpdir())).filter((n) => n.startsWith(`letterpress-chromium-${pid}-`));

describe('a browser that cannot be used: one line naming the cause and the fix, exit 3, nothing written', () => {
  async function build(executable: string): Promise<{ code: number | null; stderr: string; out: string[] }> {
    const dir = await tempDir();
    const result = await runCli(['build', memo, '--out', path.join(dir, 'out')], { env: { PUPPETEER_EXECUTABLE_PATH: executable } });
    return { code: result.code, stderr: result.stderr, out: await readdir(dir) };
  }
  const lastLine = (stderr: string): string => stderr.trim().split('\n').at(-1)!;

  it('PUPPETEER_EXECUTABLE_PATH naming a file that does not exist (no fallback to another browser)', async () => {
    const { code, stderr, out } = await build('/opt/nowhere/chrome');
    expect(code).toBe(3);
    expect(lastLine(stderr)).toBe('letterpress: PUPPETEER_EXECUTABLE_PATH is /opt/nowhere/chrome, which does not exist; point it at a Chrome or Chromium executable, or unset it');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(out).toEqual([]);
  });

  it('PUPPETEER_EXECUTABLE_PATH naming a program that is not a browser (/bin/false)', async () => {
    const { code, stderr, out } = await build('/bin/false');
    expect(code).toBe(3);
    expect(lastLine(stderr)).toMatch(/^letterpress: \/bin\/false did not start as a browser \(.+\); point PUPPETEER_EXECUTABLE_PATH at a working Chrome or Chromium, or unset it$/);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(out).toEqual([]);
  });

  it('a browser that hangs: given up after the launch timeout, the process killed, its profile removed', async () => {
    const dir = await tempDir();
    const hanging = path.join(dir, 'hanging-browser');
    await writeFile(hanging, `#!/bin/sh\necho $$ > ${dir}/pid\nexec sleep 600\n`);
    await chmod(hanging, 0o755);
    const error = await withBrowser(async () => 'printed', { executablePath: hanging, launchTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrowserError);
    expect((error as BrowserError).exitCode).toBe(3);
    expect((error as BrowserError).message).toBe(
      `the browser ${hanging} did not start within 2 s (does \`${hanging} --version\` answer?); point PUPPETEER_EXECUTABLE_PATH at a working Chrome or Chromium, or unset it`,
    );
    const pid = Number(await readFile(path.join(dir, 'pid'), 'utf8'));
    const gone = await waitFor(() => (stillRunning([{ pid, ppid: 0, cmdline: 'sleep 600' }]).length === 0 ? true : undefined), 5000);
    expect(gone, `the hanging browser (pid ${pid}) still runs`).toBe(true);
    expect(await profilesOf(process.pid)).toEqual([]);
  });
});

describe('Chromium never outlives letterpress', () => {
  /** Starts a build, waits for its Chromium, kills letterpress with `kill`, and returns what is left. */
  async function killDuringBuild(kill: (pid: number) => void): Promise<{ pid: number; tree: number; left: string[]; profiles: string[] }> {
    const dir = await tempDir();
    // Detached: a process group of its own, as a shell gives a command, so the group can be killed.
    const child = spawn(process.execPath, nodeArgs(cli, ['build', memo, '--out', path.join(dir, 'out')]), { cwd: projectRoot, detached: true, stdio: 'ignore' });
    const pid = child.pid!;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // The profile folder names the run: every Chromium process of this run mentions it (a crashpad
    // handler, which is not a child of the browser, through its --database under the profile) or descends from one that does.
    const marker = `${os.tmpdir()}/letterpress-chromium-${pid}-`;
    const tree = await waitFor(() => {
      const found = processTree(marker);
      return found.length >= 3 ? found : undefined;
    }, 60_000);
    expect(tree, 'Chromium never started').toBeDefined();
    kill(pid);
    await exited;
    // Those seen before the kill, and any Chromium started after them (it goes on starting helpers for a moment).
    const running = () => [...stillRunning(tree!), ...processTree(marker)];
    const survivors = await waitFor(() => (running().length === 0 ? [] : undefined), 10_000);
    return { pid, tree: tree!.length, left: (survivors ?? running()).map((p) => `${p.pid} ${p.cmdline.slice(0, 80)}`), profiles: await profilesOf(pid) };
  }

  it('kill -9 of letterpress alone: every Chromium process ends; the next run removes the profile left behind', async () => {
    const { pid, tree, left, profiles } = await killDuringBuild((p) => process.kill(p, 'SIGKILL'));
    expect(tree).toBeGreaterThanOrEqual(3);
    expect(left).toEqual([]);
    // A kill -9 gives no chance to clean up: the folder is there until the next run.
    expect(profiles).toHaveLength(1);
    await withBrowser(async (browser) => browser.version());
    expect(await profilesOf(pid)).toEqual([]);
  });

  it('kill -9 of letterpress’s process group: every Chromium process ends', async () => {
    const { tree, left } = await killDuringBuild((p) => process.kill(-p, 'SIGKILL'));
    expect(tree).toBeGreaterThanOrEqual(3);
    expect(left).toEqual([]);
  });
});
