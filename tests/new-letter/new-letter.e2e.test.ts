import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const today = (): string => {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
};

describe('letterpress new', () => {
  it('writes content/NAME.md with today’s date, which lints clean and builds; never overwrites', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-new-'));
    const made = await runCli(['new', '2024-q4-letter'], { cwd: dir });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('wrote      content/2024-q4-letter.md');
    const file = path.join(dir, 'content/2024-q4-letter.md');
    const source = await readFile(file, 'utf8');
    expect(source).toContain(`date: ${today()}\n`);
    expect(source).toContain('organisation: 拾象 Shixiang\n');

    const lint = await runCli(['lint'], { cwd: dir });
    expect(lint.code, lint.stderr).toBe(0);
    expect(lint.stdout).toBe('clean      content/2024-q4-letter.md: no error, no warning\n');

    const build = await runCli(['build'], { cwd: dir });
    expect(build.code, build.stderr).toBe(0);
    const text = execFileSync('pdftotext', [path.join(dir, 'dist/2024-q4-letter.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('致有限合伙人的信');
    expect(text).toContain('示例公司');

    await writeFile(file, '我的草稿');
    const again = await runCli(['new', '2024-q4-letter.md'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('letterpress: content/2024-q4-letter.md exists already; letterpress new never overwrites: choose another name\n');
    expect(await readFile(file, 'utf8')).toBe('我的草稿');
  });

  it('names the house style’s organisation, and refuses a name with a folder in it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-new-'));
    await writeFile(path.join(dir, 'letterpress.config.yaml'), 'organisation: 示例资本 Example Capital\n');
    expect((await runCli(['new', 'letter'], { cwd: dir })).code).toBe(0);
    expect(await readFile(path.join(dir, 'content/letter.md'), 'utf8')).toContain('organisation: 示例资本 Example Capital\n');
    const outside = await runCli(['new', '../escape'], { cwd: dir });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('cannot be a letter');
  });
});
