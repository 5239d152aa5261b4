import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../support/run-cli.ts';

const frontMatter = ['---', 'title: 测试', 'recipients: LPs', 'date: 2024-01', 'author: 甲', 'organisation: 乙', 'confidentiality: 保密', '---', ''];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'letterpress-lint-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('letterpress lint', () => {
  it('exits 1 on an error, naming file:line:column and the fix', async () => {
    await writeFile(path.join(dir, 'bad.md'), [...frontMatter, '模型很强,但成本高。'].join('\n'));
    const result = await runCli(['lint', 'bad.md'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/10:5-10:6\s+error\s+half-width `,` between Chinese characters; use `，`\s+half-width-punctuation/);
    expect(result.stderr).toContain('letterpress: 1 error(s) in the text; first at bad.md:10:5');
  });

  it('exits 0 with warnings only, and reports them', async () => {
    await writeFile(path.join(dir, 'warn.md'), [...frontMatter, '模型很强 ，但成本高。'].join('\n'));
    const result = await runCli(['lint', 'warn.md'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/10:5-10:6\s+warning\s+space before `，`/);
  });

  it('finds no error in the memo, and says so in one line', async () => {
    const result = await runCli(['lint', 'content/2023-12-llm-observations.md'], { cwd: projectRoot });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('clean      content/2023-12-llm-observations.md: no error, no warning\n');
  });

  it('--fix turns the half-width marks a newcomer types at a line’s end and beside Latin into full-width ones', async () => {
    await writeFile(path.join(dir, 'slips.md'), [...frontMatter, '这是我们的猜想:', '', '明年会爆发?', '', '这很难,Google 也一样。'].join('\n'));
    const result = await runCli(['lint', 'slips.md', '--fix'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'slips.md'), 'utf8')).toBe([...frontMatter, '这是我们的猜想：', '', '明年会爆发？', '', '这很难，Google 也一样。'].join('\n'));
  });

  it('--fix applies the safe fixes only, leaves every other byte as it was, and leaves no temporary file', async () => {
    const lines = [
      ...frontMatter.slice(0, -1).map((l) => `${l}\r`),
      '',
      '模型很强, 但成本高 。他说"很好"。',
      '  未改动的一行,  `代码,代码` 和 GPT-4 (2023)\t',
      '真的吗？？ＧＰＴ４ 结束了。。',
      '（未闭合的括号',
      '```',
      '中文,中文',
      '```',
    ];
    const source = `\uFEFF${lines.join('\n')}`;
    await writeFile(path.join(dir, 'fix.md'), source);
    const result = await runCli(['lint', 'fix.md', '--fix'], { cwd: dir });
    const fixed = await readFile(path.join(dir, 'fix.md'), 'utf8');
    const expected = [...lines];
    expected[9] = '模型很强，但成本高。他说“很好”。';
    expected[11] = '真的吗？？GPT4 结束了。';
    expect(fixed).toBe(`\uFEFF${expected.join('\n')}`);
    // What --fix cannot decide stays reported: the unclosed bracket is an error, the doubled question mark a warning.
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/13:1-13:2\s+error\s+`（` is never closed/);
    expect(result.stderr).toMatch(/12:4-12:6\s+warning\s+`？` repeated/);
    expect(result.stderr).toContain('fix.md: 5 fix(es) applied');
    expect((await readdir(dir)).filter((name) => name.includes('.tmp'))).toEqual([]);
  });
});
