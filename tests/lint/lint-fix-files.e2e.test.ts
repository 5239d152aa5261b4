import { spawnSync } from 'node:child_process';
import { appendFile, chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, type CliResult, nodeArgs, runCli, runProcess } from '../support/run-cli.ts';

const frontMatter = ['---', 'title: 测试', 'recipients: LPs', 'date: 2024-01', 'author: 甲', 'organisation: 乙', 'confidentiality: 保密', '---', ''].join('\n');
/** A letter with one slip `--fix` corrects (`,` between Chinese characters). */
const slipped = `${frontMatter}模型很强,但成本高。\n`;
const fixed = `${frontMatter}模型很强，但成本高。\n`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'letterpress-lint-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The failure's one line, never a stack trace or exit 70. */
function oneLine(result: CliResult, code: number): string {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
  const lines = result.stderr.split('\n').filter((l) => l.startsWith('letterpress: '));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('lint --fix and the file it rewrites', () => {
  it('keeps the file’s mode, owner and group', async () => {
    const letter = path.join(dir, 'private.md');
    await writeFile(letter, slipped);
    await chmod(letter, 0o600);
    // The suite runs as root, which may give the file to anyone.
    await chown(letter, 1234, 5678);
    const result = await runCli(['lint', 'private.md', '--fix'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(letter, 'utf8')).toBe(fixed);
    const info = await stat(letter);
    expect([info.mode & 0o7777, info.uid, info.gid]).toEqual([0o600, 1234, 5678]);
  });

  it('fixes a symbolic link’s target inside the project, and keeps the link', async () => {
    await mkdir(path.join(dir, 'drafts'), { recursive: true });
    await mkdir(path.join(dir, 'content'), { recursive: true });
    await writeFile(path.join(dir, 'drafts/real.md'), slipped);
    await symlink('../drafts/real.md', path.join(dir, 'content/linked.md'));
    const result = await runCli(['lint', 'content/linked.md', '--fix'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect((await lstat(path.join(dir, 'content/linked.md'))).isSymbolicLink()).toBe(true);
    expect(await readlink(path.join(dir, 'content/linked.md'))).toBe('../drafts/real.md');
    expect(await readFile(path.join(dir, 'drafts/real.md'), 'utf8')).toBe(fixed);
  });

  it('refuses a link to a file outside the project, which stays as it was', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'letterpress-lint-outside-'));
    await writeFile(path.join(outside, 'real.md'), slipped);
    const project = path.join(dir, 'project');
    await mkdir(project, { recursive: true });
    await symlink(path.join(outside, 'real.md'), path.join(project, 'out.md'));
    // The loader refuses a link inside the project that leads out of it.
    expect(oneLine(await runCli(['lint', 'out.md', '--fix'], { cwd: project }), 2)).toContain('outside the project');
    // A link named outside the project, leading outside it: --fix writes nothing there.
    await mkdir(path.join(dir, 'shared'), { recursive: true });
    await symlink(path.join(outside, 'real.md'), path.join(dir, 'shared/out.md'));
    const line = oneLine(await runCli(['lint', '../shared/out.md', '--fix'], { cwd: project }), 1);
    expect(line).toBe(`letterpress: ../shared/out.md is a symbolic link to ${outside}/real.md, outside the project: nothing was changed; fix the file itself, or copy it into the project`);
    expect(await readFile(path.join(outside, 'real.md'), 'utf8')).toBe(slipped);
    expect((await lstat(path.join(project, 'out.md'))).isSymbolicLink()).toBe(true);
    await rm(outside, { recursive: true });
  });

  it('an immutable file (EPERM): one line, exit 1, the file unchanged and no temporary', async () => {
    const letter = path.join(dir, 'immutable.md');
    await writeFile(letter, slipped);
    const made = spawnSync('chattr', ['+i', letter]);
    expect(made.status, `chattr +i: ${String(made.stderr)}`).toBe(0);
    try {
      const line = oneLine(await runCli(['lint', 'immutable.md', '--fix'], { cwd: dir }), 1);
      expect(line).toBe('letterpress: cannot fix immutable.md: EPERM: letterpress may not read or write it; check its owner and permissions');
    } finally {
      spawnSync('chattr', ['-i', letter]);
    }
    expect(await readFile(letter, 'utf8')).toBe(slipped);
    expect((await readdir(dir)).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('a read-only file system (EROFS): one line, exit 1', async () => {
    const mountPoint = path.join(dir, 'ro');
    await mkdir(mountPoint);
    const script = `
      disk="$1"; node="$2"; shift 2
      mount -t tmpfs -o size=1m tmpfs "$disk" || exit 9
      cp "$LETTER" "$disk/ro.md" && mount -o remount,ro "$disk" || exit 9
      cd "$disk" && "$node" "$@"
      echo "exit=$?" >&2
      cat "$disk/ro.md"
    `;
    const letter = path.join(dir, 'source.md');
    await writeFile(letter, slipped);
    const result = await runProcess('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', mountPoint, process.execPath, ...nodeArgs(cli, ['lint', 'ro.md', '--fix'])], {
      env: { LETTER: letter },
    });
    expect(result.stderr).toContain('exit=1');
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('letterpress: '));
    expect(lines).toEqual(['letterpress: cannot fix ro.md: EROFS: the file system is read-only; choose another place']);
    expect(result.stdout).toBe(slipped);
  });

  it('never loses a line another program appends while it runs (an editor’s autosave): it refuses instead', async () => {
    // A long letter, so that --fix takes a while; a line appended every 5 ms meanwhile.
    const body = Array.from({ length: 4000 }, (_, i) => `第${i}行,模型很强。`).join('\n\n');
    for (let round = 0; round < 5; round++) {
      const letter = path.join(dir, `busy-${round}.md`);
      await writeFile(letter, `${frontMatter}${body}\n`);
      let appended = 0;
      let writing = Promise.resolve();
      const timer = setInterval(() => {
        const n = appended++;
        writing = writing.then(() => appendFile(letter, `\n追加${n}。\n`));
      }, 5);
      const result = await runCli(['lint', path.basename(letter), '--fix'], { cwd: dir });
      clearInterval(timer);
      await writing;
      const text = await readFile(letter, 'utf8');
      const lost = Array.from({ length: appended }, (_, n) => n).filter((n) => !text.includes(`\n追加${n}。\n`));
      expect(lost, `round ${round}: ${result.stderr.slice(-300)}`).toEqual([]);
      if (result.code !== 0) expect(oneLine(result, 1)).toBe(`letterpress: ${path.basename(letter)} changed while \`lint --fix\` ran (saved by an editor?): nothing was written; run it again`);
    }
  }, 120_000);
});
