import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const valid = `title: 测试信函
recipients: Test LPs
date: 2024-03
author: 拾象
organisation: 拾象 Shixiang
confidentiality: 保密`;

async function errorsOf(frontMatter: string, body = '正文。\n'): Promise<string[]> {
  const file = new VFile({ path: 'content/letter.md', value: `---\n${frontMatter}\n---\n\n${body}` });
  await processMarkdown(file);
  return file.messages.filter((m) => m.fatal).map((m) => `${m.line}:${m.column} ${m.reason}`);
}

describe('front matter', () => {
  it('accepts a complete front matter and fills in the defaults', async () => {
    const file = new VFile({ path: 'content/letter.md', value: `---\n${valid}\n---\n\n正文。\n` });
    await processMarkdown(file);
    expect(file.messages).toEqual([]);
    expect(file.data.frontMatter).toMatchObject({ title: '测试信函', date: '2024-03', lang: 'zh-CN', keywords: [], toc: true });
  });

  it('reports invalid YAML at its line', async () => {
    expect(await errorsOf(`${valid}\nkeywords: [a, b`)).toEqual([expect.stringMatching(/^8:\d+ invalid YAML in front matter: /)]);
  });

  it('names an unknown key, at the key', async () => {
    expect(await errorsOf(`${valid}\nautor: 拾象`)).toEqual(['8:1 unknown front-matter key `autor`']);
  });

  it('names a missing required key, at the front matter', async () => {
    expect(await errorsOf(valid.replace('recipients: Test LPs\n', ''))).toEqual(['1:1 missing required front-matter key `recipients`']);
  });

  it('names a key whose value has the wrong type, at the value', async () => {
    expect(await errorsOf(valid.replace('title: 测试信函', 'title: [a, b]'))).toEqual([
      '2:8 front-matter key `title` Invalid input: expected string, received array',
    ]);
    expect(await errorsOf(`${valid}\nkeywords: [AI, 42]`)).toEqual(['8:16 front-matter key `keywords.1` Invalid input: expected string, received number']);
  });

  it('refuses an impossible date and a malformed one', async () => {
    expect(await errorsOf(valid.replace('2024-03', '2024-02-30'))).toEqual(['4:7 front-matter key `date` is not a date that exists']);
    expect(await errorsOf(valid.replace('2024-03', '2024-13'))).toEqual(['4:7 front-matter key `date` is not a date that exists']);
    expect(await errorsOf(valid.replace('2024-03', 'March 2024'))).toEqual(['4:7 front-matter key `date` must be YYYY-MM or YYYY-MM-DD']);
  });

  it('requires front matter at all', async () => {
    const file = new VFile({ path: 'content/letter.md', value: '# 无前言\n' });
    await processMarkdown(file);
    expect(file.messages.map((m) => `${m.line}:${m.column} ${m.fatal}`)).toEqual(['1:1 true']);
  });
});
