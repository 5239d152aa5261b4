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

  it('reports a YAML alias bomb at its first alias instead of expanding it', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]'];
    expect(await errorsOf(`${valid}\n${bomb.join('\n')}`)).toEqual(['9:8 front matter expands YAML aliases (`*name`) beyond the limit of 100 values: write the values out']);
  });

  it('limits the title to 200 characters and other values to 500, at the value', async () => {
    expect(await errorsOf(valid.replace('title: 测试信函', `title: ${'长'.repeat(201)}`))).toEqual(['2:8 front-matter key `title` must be at most 200 characters']);
    expect(await errorsOf(valid.replace('author: 拾象', `author: ${'a'.repeat(501)}`))).toEqual(['5:9 front-matter key `author` must be at most 500 characters']);
    expect(await errorsOf(valid.replace('title: 测试信函', `title: ${'长'.repeat(200)}`))).toEqual([]);
  });

  it('quotes only the head of a very long unknown key', async () => {
    expect(await errorsOf(`${valid}\n${'k'.repeat(1000)}: x`)).toEqual([`8:1 unknown front-matter key \`${'k'.repeat(60)}…\``]);
  });

  it('refuses control characters written as YAML escapes, which would reach CSS and the PDF metadata', async () => {
    expect(await errorsOf(`${valid}\nshortTitle: "S\\f} } main p { display: none }"`)).toEqual([
      '8:13 front-matter key `shortTitle` must not hold control characters (such as a form feed or escape)',
    ]);
  });
});

describe('pasted front matter', () => {
  async function warningsOf(body: string): Promise<string[]> {
    const file = new VFile({ path: 'content/letter.md', value: `---\n${valid}\n---\n${body}` });
    await processMarkdown(file);
    expect(file.messages.filter((m) => m.fatal)).toEqual([]);
    // The Chinese-text lint (tests/lint) also reads these bodies; only the front-matter warnings are checked here.
    return file.messages.filter((m) => m.ruleId !== 'half-width-punctuation').map((m) => `${m.line}:${m.column} ${m.reason}`);
  }

  it('warns at a second (Jekyll) front-matter block right after ours', async () => {
    expect(await warningsOf('---\nlayout: post\ntitle: Old title\n---\n\n正文。\n')).toEqual([
      '9:1 a second front-matter block starts here and would be printed as text: move its keys into the first block (letterpress keys only) or delete it',
    ]);
  });

  it('warns at an Obsidian block with a list of tags, after a blank line', async () => {
    expect(await warningsOf('\n---\ntags:\n  - memo\n  - ai\naliases: []\n---\n\n正文。\n')).toEqual([
      '10:1 a second front-matter block starts here and would be printed as text: move its keys into the first block (letterpress keys only) or delete it',
    ]);
  });

  it('warns at a run of key: value lines right after the front matter', async () => {
    expect(await warningsOf('\nlayout: post\npermalink: /memo/\n\n正文。\n')).toEqual([
      '10:1 `key: value` lines right after the front matter would be printed as text: move them into the front matter or delete them',
    ]);
  });

  it('stays quiet for an ordinary first paragraph or a thematic break followed by prose', async () => {
    expect(await warningsOf('\n注意: 本文仅供参考。\n\n正文。\n')).toEqual([]);
    expect(await warningsOf('\n---\n\n正文。\n')).toEqual([]);
  });
});
