import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { serializeHtml } from '../../src/html/render-document.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const frontMatter = '---\ntitle: 限制\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n';
// The body starts on line 10.

async function run(body: string): Promise<{ html: string; errors: string[] }> {
  const file = new VFile({ path: 'content/letter.md', value: `${frontMatter}\n${body}` });
  const html = serializeHtml(await processMarkdown(file));
  return { html, errors: file.messages.filter((m) => m.fatal).map((m) => `${m.line}:${m.column} ${m.reason}`) };
}

describe('characters that are no text', () => {
  it.each([
    ['\x01', 'U+0001'],
    ['\x1b', 'U+001B (escape)'],
    ['\x08', 'U+0008 (backspace)'],
    ['\x0b', 'U+000B (vertical tab)'],
    ['\x0c', 'U+000C (form feed)'],
    ['\x7f', 'U+007F (delete)'],
    ['\x85', 'U+0085'],
  ])('reports %j with its line and column', async (c, name) => {
    const { errors, html } = await run(`第一段。\n\n第二段${c}文字。\n`);
    expect(errors).toEqual([`12:4 control character ${name} is not allowed in a letter: delete it`]);
    expect(html).toBe('');
  });

  it('reports a NUL as not valid UTF-8, at its position', async () => {
    expect((await run('正文\0。\n')).errors).toEqual(['10:3 not valid UTF-8 at 10:3 (a NUL character): the file is binary or in another encoding; save it as UTF-8 text']);
  });

  it('finds a control character in the front matter too, and keeps tabs', async () => {
    const file = new VFile({ path: 'content/letter.md', value: `${frontMatter.replace('title: 限制', 'title: 限\x1b制')}\n正文\t。\n` });
    await processMarkdown(file);
    expect(file.messages.map((m) => `${m.line}:${m.column} ${m.reason}`)).toEqual(['2:9 control character U+001B (escape) is not allowed in a letter: delete it']);
  });
});

describe('limits checked before parsing', () => {
  it('refuses 10,000 nested block quotes at the 33rd marker, without parsing them', async () => {
    const { errors, html } = await run(`${'>'.repeat(10000)} 深\n`);
    expect(errors).toEqual(['10:33 block quotes and lists nested more than 32 deep (the limit): flatten the structure']);
    expect(html).toBe('');
  });

  it('refuses lists nested 10,000 deep, on one line or by indentation', async () => {
    expect((await run(`${'- '.repeat(10000)}深\n`)).errors).toEqual(['10:65 block quotes and lists nested more than 32 deep (the limit): flatten the structure']);
    const indented = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- 第 ${i + 1} 层`).join('\n');
    expect((await run(`${indented}\n`)).errors).toEqual(['42:65 block quotes and lists nested more than 32 deep (the limit): flatten the structure']);
  });

  it('builds what stays within the nesting limit', async () => {
    const quotes = await run(`${'> '.repeat(32)}深\n`);
    expect(quotes.errors).toEqual([]);
    expect(quotes.html.match(/<blockquote>/g)).toHaveLength(32);
    const lists = await run(`${'- '.repeat(32)}深\n`);
    expect(lists.errors).toEqual([]);
    expect(lists.html.match(/<ul>/g)).toHaveLength(32);
  });

  it('does not count thematic breaks or fenced code as nesting', async () => {
    const { errors } = await run(`${'* '.repeat(50)}\n\n\`\`\`\n${'>'.repeat(100)}\n\`\`\`\n`);
    expect(errors).toEqual([]);
  });

  it('skips a real fenced code block, with its stars, brackets and quotes', async () => {
    const code = `${'>'.repeat(40)}\n${'x = a[i] * b[j] + *p\n'.repeat(300)}${'/'.repeat(2)}${'*'.repeat(80)}`;
    const { errors, html } = await run(`正文。\n\n\`\`\`c\n${code}\n\`\`\`\n\n后文。\n`);
    expect(errors).toEqual([]);
    expect(html).toContain('<pre><code class="language-c">');
  });

  it.each([
    ['inside an HTML comment that spans blank lines', '<!--\n\n```\n-->\n\n'],
    ['in a link title', '[a]: /u "x\n```\nx"\n\n'],
    ['in a list item, ended by the next unindented line', '- a\n\n  ```\n'],
    ['right after a paragraph line', '正文\n```\n'],
    ['with a backtick in its info string', '```a`b\n'],
  ])('is not fooled by a fence %s', async (_case, fake) => {
    const { errors } = await run(`${fake}${'>'.repeat(100)} 深\n`);
    expect(errors).toEqual([expect.stringMatching(/^\d+:33 block quotes and lists nested more than 32 deep/)]);
  });

  it('is not fooled by a fence inside the front matter', async () => {
    const file = new VFile({ path: 'content/letter.md', value: `${frontMatter.replace('confidentiality: 保密', 'confidentiality: 保密\nnote: |\n\n```')}\n${'>'.repeat(100)} 深\n` });
    await processMarkdown(file);
    expect(file.messages.map((m) => m.reason)).toEqual([expect.stringMatching(/^block quotes and lists nested more than 32 deep/)]);
  });

  it('does not count stars between spaces or underscores inside words, which never delimit emphasis', async () => {
    const { errors } = await run(`${'a * b snake_case_name '.repeat(600)}\n`);
    expect(errors).toEqual([]);
  });

  it('refuses a run of thousands of emphasis markers at its column, and builds one of 64', async () => {
    expect((await run(`正文 ${'*'.repeat(5000)}深${'*'.repeat(5000)}\n`)).errors).toEqual([
      '10:4 a run of 5000 “*”, more than the limit of 64: escape them with \\ or shorten the run',
    ]);
    const within = await run(`${'*'.repeat(64)}深${'*'.repeat(64)}\n`);
    expect(within.errors).toEqual([]);
    expect(within.html.match(/<strong>/g)).toHaveLength(32);
  });

  it('refuses thousands of nested emphasis, strikethrough or link openers in one paragraph', async () => {
    for (const [body, column] of [
      [`${'*a _b '.repeat(3000)}c${' d_ e*'.repeat(3000)}`, 1501],
      [`${'~~a '.repeat(3000)}b`, 2001],
      [`${'[a '.repeat(3000)}b${' c](u)'.repeat(3000)}`, 1501],
    ] as const) {
      expect((await run(`${body}\n`)).errors).toEqual([
        `10:${column} more than 500 emphasis, strikethrough and link markers (*, _, ~, [) in one paragraph: split the paragraph or escape the markers with \\`,
      ]);
    }
    const spread = Array.from({ length: 501 }, () => '*甲').join('\n');
    expect((await run(`${spread}\n`)).errors).toEqual([
      '510:1 more than 500 emphasis, strikethrough and link markers (*, _, ~, [) in one paragraph: split the paragraph or escape the markers with \\',
    ]);
  });

  it('builds a paragraph with 500 markers', async () => {
    const { errors, html } = await run(`${'*甲* '.repeat(250)}\n`);
    expect(errors).toEqual([]);
    expect(html.match(/<em>/g)).toHaveLength(250);
  });

  it('counts markers per row in a table, whose cells are parsed one by one', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `| **${i}** | *甲* | ~~乙~~ |`).join('\n');
    const { errors, html } = await run(`| a | b | c |\n| --- | --- | --- |\n${rows}\n`);
    expect(errors).toEqual([]);
    expect(html.match(/<strong>/g)).toHaveLength(300);
  });

  it('refuses a table of more than 30 columns at its delimiter row, and builds one of 30', async () => {
    const table = (n: number): string => `| ${Array.from({ length: n }, (_, i) => `c${i}`).join(' | ')} |\n|${' --- |'.repeat(n)}\n| ${Array.from({ length: n }, () => '1').join(' | ')} |\n`;
    expect((await run(`正文。\n\n${table(500)}`)).errors).toEqual(['13:1 table with 500 columns, more than the limit of 30: split it into narrower tables']);
    expect((await run(`> ${table(31).replace(/\n(?=.)/g, '\n> ')}`)).errors).toEqual(['11:3 table with 31 columns, more than the limit of 30: split it into narrower tables']);
    const within = await run(table(30));
    expect(within.errors).toEqual([]);
    expect(within.html.match(/<th[ >]/g)).toHaveLength(30);
  });
});
