import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, nodeArgs, runProcess } from '../support/run-cli.ts';

/**
 * Runs the CLI with its standard output (or error) piped into a reader that
 * is gone before the first write (`true` reads nothing and exits), as `| head -1`
 * is after its line; the CLI's other stream goes to a file. Returns the
 * CLI's exit code and what it wrote to that file.
 */
async function withClosedReader(args: string[], closed: 'stdout' | 'stderr', cwd: string): Promise<{ code: number; other: string }> {
  const other = path.join(cwd, 'other.txt');
  const command = [process.execPath, ...nodeArgs(cli, args)].map((a) => `'${a}'`).join(' ');
  // The reader exits at once; the CLI's first write comes after its start-up, into a pipe with no reader.
  const script = closed === 'stdout' ? `${command} 2>'${other}' | true; echo "\${PIPESTATUS[0]}"` : `${command} 2>&1 >'${other}' | true; echo "\${PIPESTATUS[0]}"`;
  const result = await runProcess('bash', ['-c', script], { cwd });
  return { code: Number(result.stdout.trim()), other: await readFile(other, 'utf8') };
}

describe('a closed standard output ends any command quietly', () => {
  it('verify --archive A | head -1: no trace, no message, the exit code of the check', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-epipe-'));
    await mkdir(path.join(dir, 'A'));
    const result = await withClosedReader(['verify', '--archive', 'A'], 'stdout', dir);
    expect(result.other).toBe('');
    expect(result.code).toBe(0);
    // The check held the lock and released it: nothing left in the archive.
    expect(await readdir(path.join(dir, 'A'))).toEqual([]);
  }, 60_000);

  it('--help | head -1', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-epipe-'));
    const result = await withClosedReader(['--help'], 'stdout', dir);
    expect(result).toEqual({ code: 0, other: '' });
  });

  it('lint with its report on a closed standard error: no trace, exit 1 as without the pipe', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-epipe-'));
    const frontMatter = ['---', 'title: 测试', 'recipients: LPs', 'date: 2024-01', 'author: 甲', 'organisation: 乙', 'confidentiality: 保密', '---', ''];
    await writeFile(path.join(dir, 'bad.md'), [...frontMatter, '模型很强,但成本高。'].join('\n'));
    const result = await withClosedReader(['lint', 'bad.md'], 'stderr', dir);
    expect(result).toEqual({ code: 1, other: '' });
  });
});
