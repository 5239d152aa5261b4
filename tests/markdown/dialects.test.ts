import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VFile } from 'vfile';
import { beforeAll, describe, expect, it } from 'vitest';
import { serializeHtml } from '../../src/html/render-document.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const frontMatter = '---\ntitle: 方言\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n';
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'letterpress-dialects-'));
  await mkdir(path.join(cwd, 'content'), { recursive: true });
  await writeFile(path.join(cwd, 'content', '图 1.png'), png);
});

async function run(body: string): Promise<{ html: string; file: VFile }> {
  const file = new VFile({ path: 'content/letter.md', cwd, value: `${frontMatter}\n${body}` });
  return { html: serializeHtml(await processMarkdown(file)), file };
}
const errors = (file: VFile): string[] => file.messages.filter((m) => m.fatal).map((m) => `${m.line}:${m.column} ${m.reason}`);

describe('text that would not be printed', () => {
  it('makes a footnote nothing refers to an error at its definition', async () => {
    const { file } = await run('正文[^used]。\n\n[^used]: 用到的脚注。\n\n[^lost]: 没有引用的脚注。\n');
    expect(errors(file)).toEqual(['14:1 footnote `[^lost]` is never referred to, so it would not be printed: refer to it with `[^lost]` in the text, or remove it']);
  });
});

describe('editors’ dialects', () => {
  it('sets GitHub alerts and Obsidian callouts as titled boxes, a folded one open', async () => {
    const { html, file } = await run('> [!NOTE]\n> 注意事项。\n\n> [!tip]- 可折叠的提示\n> 正文一行\n>\n> 第二段\n\n> [!warning] **风险**提示\n\n> [!caution] **注意** 事项\n> 正文 *强调*\n');
    expect(errors(file)).toEqual([]);
    expect(html).toContain('<div class="callout callout-note">\n<p class="callout-title">注</p>\n<p>注意事项。</p>\n</div>');
    expect(html).toContain('<div class="callout callout-note">\n<p class="callout-title">可折叠的提示</p>\n<p>正文一行</p>\n<p>第二段</p>\n</div>');
    expect(html).toContain('<div class="callout callout-warning">\n<p class="callout-title"><strong>风险</strong>提示</p>\n</div>');
    expect(html).toContain('<div class="callout callout-warning">\n<p class="callout-title"><strong>注意</strong> 事项</p>\n<p>正文 <em>强调</em></p>\n</div>');
    expect(html).not.toContain('[!');
  });

  it('prints a wikilink as its alias, a link when it names a heading of the letter, and an embed as the image', async () => {
    const { html, file } = await run('## 进阶\n\n见[[level-advanced|高级]]与[[进阶]]，又见[[notes/周报.md#结论]]。\n\n![[图 1.png]]\n');
    expect(errors(file)).toEqual([]);
    expect(html).toContain('见高级与<a href="#%E8%BF%9B%E9%98%B6">进阶</a>，又见周报 > 结论。');
    expect(html).toContain(`<img src="data:image/png;base64,${png.toString('base64')}" alt="图 1.png">`);
    expect(html).not.toContain('[[');
  });

  it('makes ==highlight== a mark, also around other inline markup, and leaves a lone == as text', async () => {
    const { html } = await run('这是==重点==，==**加粗的重点**==，a == b。\n');
    expect(html).toContain('这是<mark>重点</mark>，<mark><strong>加粗的重点</strong></mark>，a == b。');
  });

  it('sets ```math, ```latex and ```tex fences as displayed formulas, and $$…$$ inside a line in the line', async () => {
    const { html, file } = await run('```latex\n\\frac{a}{b}\n```\n\n```tex\nx^2\n```\n\n若 $$p$$ 为真，則：\n\n$$q$$\n');
    expect(errors(file)).toEqual([]);
    expect(html.match(/class="katex-display"/g)).toHaveLength(3);
    expect(html).not.toContain('\\frac{a}{b}</code>');
    // $$p$$ in the sentence is inline: the paragraph holds it without a display.
    expect(html).toMatch(/<p>若 <span class="katex">.*?<\/span> 为真，則：<\/p>/s);
  });
});
