import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bodyText, readPdf } from '../support/pdf.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { expectMatchesReference, renderPages } from '../support/visual.ts';

const fixtures = path.join(projectRoot, 'tests/fixtures/imports');

/** Markup an editor's dialect would leave on the page if it were printed as written. */
const literalMarkup = /\[!|\[\[|\]\]|==|\{%|%\}|\{\{\s*site\.|<\/?[a-z][a-z0-9]*[\s>/]|\$\$|\\frac|\\sum|:::|\[TOC\]|%%|\^perf1/i;

interface Export {
  editor: string;
  source: string;
  /** Words the letter must print (some from inside the dialect's markup). */
  words: string[];
  /** The page that shows the dialect, kept as a reference image. */
  page: number;
}

const exports: Export[] = [
  { editor: 'obsidian', source: 'obsidian/投资研究/周报/2024 Q2 组合回顾.md', words: ['本季要点', '方法说明', '计算口径', '算力与基础设施', '下文的风险提示', '集中度', '高级'], page: 1 },
  { editor: 'typora', source: 'typora/notes/周报 2024-06-14.md', words: ['纳斯达克100', '-0.8%', '+1.6%', '下划线', '删除线'], page: 1 },
  { editor: 'jekyll', source: 'jekyll/_posts/2024-03-01-annual-letter.md', words: ['最大回撤', '-52.7%', '恢复月数', 'defrebalance', '模板中的'], page: 1 },
  { editor: 'gitbook', source: 'gitbook/chapter-2/估值方法.md', words: ['最近一轮融资价格', '本章的数字均为示例', '敏感性分析见下图'], page: 1 },
  { editor: 'notion', source: 'notion/投资备忘录 3f2a9c0d1e2b4a5f8c7d6e5f4a3b2c1d.md', words: ['投资委员会已于', '10倍', '大客户集中'], page: 1 },
  { editor: 'yuque', source: 'yuque/LP 季度沟通.md', words: ['本文由语雀导出', '退出1笔', '请核对到账金额', '端侧模型', 'DPI'], page: 1 },
  { editor: 'word', source: 'word/季度报告.docx', words: ['各位有限合伙人', '二级市场', '7.9%', '其中一笔为机器人方向'], page: 1 },
];

describe('documents exported from editors: imported, built whole', () => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'letterpress-imports-'));
  mkdirSync(path.join(project, 'content'));

  for (const item of exports) {
    it(`${item.editor}: imports, builds with every word (the build checks its PDF), prints no markup literally`, async () => {
      // Each export in a folder of its own, outside the project: import reads it there.
      const outside = mkdtempSync(path.join(os.tmpdir(), `letterpress-export-${item.editor}-`));
      cpSync(path.join(fixtures, item.editor), outside, { recursive: true });
      const source = path.join(outside, path.relative(item.editor, item.source));
      const letter = `content/${item.editor}.md`;
      // A date given, so the pages (and their reference images) do not change with the day the test runs.
      const imported = await runCli(['import', source, '--out', letter, '--date', '2024-06-30'], { cwd: project });
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toMatch(/recipients: filled: 全体有限合伙人/);
      const built = await runCli(['build', letter, '--out', 'dist'], { cwd: project });
      expect(built.code, built.stderr).toBe(0);
      const pdf = path.join(project, 'dist', `${item.editor}.pdf`);
      const text = bodyText(await readPdf(readFileSync(pdf)));
      for (const word of item.words) expect(text).toContain(word);
      expect(text.match(literalMarkup)?.[0], 'markup printed literally').toBeUndefined();
      const [page] = renderPages(pdf, item.page);
      expectMatchesReference(page ?? '', `imports-${item.editor}.png`);
      // The images it names were copied beside the letter; the build read only those.
      expect(readdirSync(path.join(project, 'content', `${item.editor}-images`))).toHaveLength(1);
    });
  }

  it('never overwrites a letter: a second import into the same file is refused, the first left as it was', async () => {
    const letter = path.join(project, 'content', 'twice.md');
    const source = path.join(fixtures, 'gitbook/chapter-2/估值方法.md');
    expect((await runCli(['import', source, '--out', 'content/twice.md'], { cwd: project })).code).toBe(0);
    const before = readFileSync(letter);
    const again = await runCli(['import', source, '--out', 'content/twice.md'], { cwd: project });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('content/twice.md exists: import never overwrites a letter');
    expect(readFileSync(letter)).toEqual(before);
  });
});
