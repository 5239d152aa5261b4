import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { outlineEntries, tocEntries } from '../../src/toc/render-toc.ts';
import { serializeHtml } from '../../src/html/render-document.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const frontMatter = '---\ntitle: 结构\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n';

async function run(body: string): Promise<{ html: string; file: VFile }> {
  const file = new VFile({ path: 'letter.md', value: `${frontMatter}\n${body}` });
  return { html: serializeHtml(await processMarkdown(file)), file };
}

const ids = (html: string): string[] => [...html.matchAll(/ id="([^"]*)"/g)].map((m) => m[1] ?? '');

describe('headings as authors write them', () => {
  it('takes the body’s highest level as its parts: `#` parts are listed in the TOC with their `##`', async () => {
    const { html, file } = await run('# 第一部分\n\n正文。\n\n## 一、回顾\n\n正文。\n\n### 细节\n\n正文。\n\n# 第二部分\n\n正文。\n');
    expect(html).not.toContain('<h1');
    expect(html).toContain('<h2 id="第一部分">第一部分</h2>');
    expect(html).toContain('<h4 id="细节">细节</h4>');
    expect(tocEntries(file.data.headings ?? [], true).map((h) => h.text)).toEqual(['第一部分', '一、回顾', '第二部分']);
    expect(tocEntries(file.data.headings ?? [], { depth: 1 }).map((h) => h.text)).toEqual(['第一部分', '第二部分']);
    // The bookmarks are the TOC's entries; without a printed TOC, its default levels.
    expect(outlineEntries(file.data.headings ?? [], { depth: 1 })).toEqual(tocEntries(file.data.headings ?? [], { depth: 1 }));
    expect(outlineEntries(file.data.headings ?? [], false)).toEqual(tocEntries(file.data.headings ?? [], true));
  });

  it('also when the author starts at `###`', async () => {
    const { file } = await run('### 甲\n\n#### 乙\n\n### 丙\n');
    expect(file.data.headings?.map((h) => `${h.depth} ${h.text}`)).toEqual(['2 甲', '3 乙', '2 丙']);
  });

  it('gives a heading of punctuation only, or an empty one, a usable unique id', async () => {
    const { html, file } = await run('## 甲\n\n## ***\n\n## ***\n\n##\n\n正文。\n');
    expect(ids(html)).toEqual(['甲', 'section-2', 'section-3', 'section-4']);
    // The empty one has nothing to list in the TOC (nor in the bookmarks).
    expect(tocEntries(file.data.headings ?? [], true).map((h) => h.id)).toEqual(['甲', 'section-2', 'section-3']);
  });
});

describe('ids that collide', () => {
  it('never gives a heading an id that footnotes generate or that is already taken', async () => {
    const body = '## fn-1\n\n正文。[^1]\n\n## fnref-1\n\n## Footnote label\n\n## footnote-label\n\n## toc\n\n## 甲\n\n## 甲\n\n## 甲 1\n\n[^1]: 注。\n';
    const { html } = await run(body);
    const all = ids(html);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([
      'section-fn-1',
      'fnref-1',
      'section-fnref-1',
      'section-footnote-label',
      'section-footnote-label-1',
      'toc',
      '甲',
      '甲-1',
      '甲-1-1',
      'footnote-label',
      'fn-1',
    ]);
    // The footnote reference and its back link still reach the footnote and the reference.
    expect(html).toContain('<a href="#fn-1" id="fnref-1"');
    expect(html).toContain('<li id="fn-1">');
  });
});

describe('line breaks in cells', () => {
  it('makes <br>, <br/>, <br /> and </br> a line break without a warning; an element outside the allow-list is reported', async () => {
    const { html, file } = await run('| Year</br>年份 | Dow<br/>道指 |\n| --- | --- |\n| 2023<br>全年 | 13.7%<br />上涨 |\n\n文字<blink>x</blink>。\n');
    expect(html).toContain('<th>Year<br>年份</th>');
    expect(html).toContain('<th>Dow<br>道指</th>');
    expect(html).toContain('<td>2023<br>全年</td>');
    expect(html.match(/<br>/g)).toHaveLength(4);
    expect(file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.fatal}`)).toEqual(['14:3 html-element true']);
  });
});

describe('tables of figures', () => {
  const holdings = (columns: number, rows = 3): string => {
    const head = `| 持仓 | ${Array.from({ length: columns - 1 }, (_, i) => `数值${i + 1}`).join(' | ')} |`;
    const rule = `|${' --- |'.repeat(columns)}`;
    const row = (r: number): string => `| Bank of America Corp. ${r} | ${Array.from({ length: columns - 1 }, () => '1,032,852,006').join(' | ')} |`;
    return [head, rule, ...Array.from({ length: rows }, (_, r) => row(r))].join('\n');
  };

  it('marks columns of figures and never lets a long figure break', async () => {
    const { html } = await run(`${holdings(3)}\n\n| 项目 | 金额 |\n| --- | ---: |\n| 合计 | 1,032,852,006,000,000,000.00 |\n`);
    expect(html).toContain('<th class="num">数值1</th>');
    expect(html).toContain('<td class="num">1,032,852,006</td>');
    expect(html).toContain('<td>Bank of America Corp. 0</td>');
    expect(html).toContain('<td align="right" class="num">1,032,852,006,000,000,000.00</td>');
    expect(html).not.toContain('long-word');
  });

  it('steps the type down as columns are added, then sets the table on a landscape page, then refuses it at its line', async () => {
    // The size classes only: a short table is also kept on one page (`table-keep`).
    const classes = async (columns: number): Promise<string | undefined> => /<table class="([^"]*)"/.exec((await run(holdings(columns))).html)?.[1]?.replace('table-keep ', '');
    expect(await classes(4)).toBe('table-9');
    expect(await classes(7)).toBe('table-8-5');
    expect(await classes(8)).toBe('table-7-5');
    expect(await classes(9)).toBe('table-9 wide');
    expect(await classes(11)).toBe('table-8 wide');
    const { file, html } = await run(`## 表\n\n${holdings(12)}\n`);
    expect(html).toContain('<h2 id="表">');
    const error = file.messages.find((m) => m.ruleId === 'table-too-wide');
    expect(error?.fatal).toBe(true);
    expect(`${error?.line}:${error?.column}`).toBe('12:1');
    expect(error?.reason).toMatch(/table of 12 columns is too wide to print: it needs about \d+ mm at 7.5 pt, a landscape page holds 233 mm/);
  });

  it('takes the heading that introduces a landscape table, and its few paragraphs, to its page', async () => {
    const { html } = await run(`## 九列表\n\n${holdings(9)}\n`);
    expect(html).toContain('<h2 id="九列表" class="wide">');
    const intro = await run(`## 前文\n\n正文。\n\n## 九列表\n\n说明一。\n\n说明二。\n\n${holdings(9)}\n`);
    expect(intro.html).toContain('<h2 id="前文">');
    expect(intro.html).toContain('<p>正文。</p>');
    expect(intro.html).toContain('<h2 id="九列表" class="wide">');
    // The paragraph right before the table is also kept with it.
    expect(intro.html).toContain('<p class="wide">说明一。</p>\n<p class="wide keep-with-next">说明二。</p>');
  });
});
