import { describe, expect, it } from 'vitest';
import type { Root } from 'hast';
import { markChanges } from '../../src/archive/redline-blocks.ts';
import { frontMatterChanges } from '../../src/archive/redline-summary.ts';
import { serializeHtml } from '../../src/html/render-document.ts';
import { letterFile } from '../../src/load/load-letters.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const front = '---\ntitle: 信\nrecipients: 全体 LP\ndate: 2024-10\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n\n';

async function body(markdown: string): Promise<Root> {
  const file = letterFile('letter.md', front + markdown, process.cwd());
  const tree = await processMarkdown(file);
  if (file.messages.some((m) => m.fatal)) throw new Error(file.messages.map(String).join('\n'));
  return tree;
}

async function marked(a: string, b: string) {
  const result = markChanges(await body(a), await body(b));
  return { ...result, html: serializeHtml(result.body) };
}

/** The marks as text: [+inserted] and [-deleted], the pieces of one run joined. */
const marks = (html: string): string =>
  html
    .replace(/<\/ins><ins class="rl-ins">|<\/del><del class="rl-del">/g, '')
    .replace(/<ins class="rl-ins">(.*?)<\/ins>/g, '[+$1]')
    .replace(/<del class="rl-del">(.*?)<\/del>/g, '[-$1]');

describe('markChanges', () => {
  it('marks the characters of a changed paragraph where they fall, inside its own markup', async () => {
    const { html, inserted, deleted } = await marked('复刻比年初预期**要难**。\n', '复刻比年初预期**更难**，确实。\n');
    expect(marks(html)).toBe('<p>复刻比年初预期<strong>[-要][+更]难</strong>[+，确实]。</p>');
    expect({ inserted, deleted }).toEqual({ inserted: 4, deleted: 1 });
  });

  it('strikes a deleted list item as an item, keeping the number it had; the others keep theirs', async () => {
    const { html, deleted } = await marked('1) 甲\n2) 乙\n3) 丙\n', '1) 甲\n2) 丙\n');
    expect(marks(html)).toBe('<ol><li>甲</li><li class="rl-removed" data-number="2">[-乙]</li><li>丙</li></ol>');
    expect(deleted).toBe(1);
  });

  it('marks a changed table cell in its cell, and an added row as inserted', async () => {
    const table = (rows: string): string => `| 项目 | 金额 |\n| --- | ---: |\n${rows}`;
    const { html } = await marked(table('| 甲 | 500 万 |\n'), table('| 甲 | 600 万 |\n| 乙 | 200 万 |\n'));
    const shown = marks(html).replace(/\n/g, '');
    expect(shown).toContain('<thead><tr><th>项目</th><th align="right">金额</th></tr></thead>');
    expect(shown).toContain('<tr><td>甲</td><td align="right">[-5][+6]00 万</td></tr><tr class="rl-added"><td>[+乙]</td><td align="right">[+200 万]</td></tr>');
  });

  it('cuts long runs into pieces of at most 8 characters, so each line of a change has its bar', async () => {
    const { html } = await marked('甲。\n', '甲。\n\n一二三四五六七八九十一二三四五六七八九十。\n');
    expect(html).toContain('<p class="rl-added"><ins class="rl-ins">一二三四五六七八</ins><ins class="rl-ins">九十一二三四五六</ins><ins class="rl-ins">七八九十。</ins></p>');
  });

  it('names the sections touched, and the text before the first heading as ""', async () => {
    const a = '开头。\n\n## 一、表现\n\n正文。\n\n## 二、展望\n\n正文。\n';
    expect((await marked(a, a.replace('## 二、展望\n\n正文', '## 二、展望\n\n新正文'))).sections).toEqual(['二、展望']);
    expect((await marked(a, a.replace('开头', '开篇'))).sections).toEqual(['']);
    expect((await marked(a, a)).sections).toEqual([]);
  });

  it('leaves no ids on deleted blocks (the newer version may use them)', async () => {
    const { html } = await marked('## 甲\n\n正文。\n', '正文。\n');
    expect(html).toContain('<h2 class="rl-removed"><del class="rl-del">甲</del></h2>');
  });
});

describe('frontMatterChanges', () => {
  const meta = { title: '信', recipients: '全体 LP', date: '2024-10', author: '拾象', organisation: '拾象', lang: 'zh-CN' as const, confidentiality: '保密', keywords: ['模型'], toc: true as const };
  it('says each changed value in words, in the letter’s language', () => {
    expect(frontMatterChanges(meta, { ...meta, title: '新信', keywords: ['模型', '算力'], subject: '摘要' }, 'zh-CN')).toEqual([
      '标题由「信」改为「新信」',
      '新增摘要「摘要」',
      '关键词由「模型」改为「模型、算力」',
    ]);
    expect(frontMatterChanges({ ...meta, subject: 'old' }, { ...meta, toc: false }, 'en')).toEqual(['Subject removed (was “old”)', 'Contents changed from “yes” to “no”']);
  });
});
