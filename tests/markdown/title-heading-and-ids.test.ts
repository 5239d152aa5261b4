import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { serializeHtml } from '../../src/html/render-document.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';
import { tocEntries } from '../../src/toc/render-toc.ts';

const frontMatter = '---\ntitle: 2023 年度报告\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n';

async function run(body: string): Promise<{ html: string; file: VFile }> {
  const file = new VFile({ path: 'content/letter.md', value: `${frontMatter}\n${body}` });
  return { html: serializeHtml(await processMarkdown(file)), file };
}

describe('a body heading that repeats the title', () => {
  it('stays where it is, is not a TOC entry, and the parts under it keep their place in the TOC', async () => {
    const { html, file } = await run('# 2023年度报告\n\n## 市场回顾\n\n### 美股\n\n## 组合\n');
    const headings = file.data.headings ?? [];
    expect(html).toContain('>2023年度报告</h2>');
    expect(tocEntries(headings, true).map((h) => `${h.depth} ${h.text}`)).toEqual(['2 市场回顾', '3 美股', '2 组合']);
    expect(file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.fatal === undefined ? 'note' : m.fatal ? 'error' : 'warning'}`)).toEqual(['10:1 title-heading note']);
  });

  it('is only the opening heading: a later one of the same words is a part', async () => {
    const { file } = await run('## 引言\n\n## 2023 年度报告\n');
    expect(tocEntries(file.data.headings ?? [], true).map((h) => h.text)).toEqual(['引言', '2023 年度报告']);
  });
});

describe('ids as PDF names', () => {
  it('shortens an id longer than 127 bytes with a hash, keeps two alike apart, and links follow', async () => {
    const long = '这是一个非常长的标题'.repeat(6);
    const { html, file } = await run(`## ${long}甲\n\n## ${long}乙\n\n见[[${long}甲]]。\n`);
    const ids = (file.data.headings ?? []).map((h) => h.id);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(new TextEncoder().encode(id).length).toBeLessThanOrEqual(127);
    expect(ids[0]).not.toBe(ids[1]);
    expect(html).toContain(`<a href="#${ids[0]}">`);
  });
});
