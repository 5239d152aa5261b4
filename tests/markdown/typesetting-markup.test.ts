import { VFile } from 'vfile';
import { describe, expect, it, vi } from 'vitest';
import { serializeHtml } from '../../src/html/render-document.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const frontMatter = '---\ntitle: 测试\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n';

async function body(markdown: string): Promise<{ html: string; file: VFile }> {
  const file = new VFile({ path: 'content/letter.md', value: `${frontMatter}\n${markdown}\n` });
  return { html: serializeHtml(await processMarkdown(file)), file };
}

describe('English inside Chinese', () => {
  it('marks an English sentence with its apostrophes and quotes as one Latin run', async () => {
    const { html } = await body('Berkshire’s “GAAP” earnings fell 9%.');
    expect(html).toBe('<p><span lang="en">Berkshire’s “GAAP” earnings fell 9%.</span></p>');
  });

  it('leaves quotes beside Han to the Chinese text (full-width), a pair together', async () => {
    expect((await body('他说“GAAP”很重要。')).html).toBe('<p>他说“GAAP”很重要。</p>');
    expect((await body('“The Intelligent Investor”一书，Berkshire’s 信。')).html).toBe(
      '<p>“The Intelligent Investor”一书，<span lang="en">Berkshire’s</span> 信。</p>',
    );
    // Across inline markup: the Han before the emphasis still decides.
    expect((await body('中文**“GAAP”**之后')).html).toBe('<p>中文<strong>“GAAP”</strong>之后</p>');
  });

  it('gives the Latin part of mixed emphasis its own run (italic), the Han part keeps the dots', async () => {
    const { html } = await body('*Fig. 1. BTC volatility does not decrease over time. 图 1：比特币波动率。*');
    expect(html).toBe('<p><em><span lang="en">Fig. 1. BTC volatility does not decrease over time.</span> 图 1：比特币波动率。</em></p>');
  });

  it('leaves code alone', async () => {
    expect((await body('`don’t`')).html).toBe('<p><code>don’t</code></p>');
  });
});

describe('formulas and prices', () => {
  it('typesets $…$ and $$…$$ with KaTeX (HTML and MathML), no TeX left as text', async () => {
    const { html, file } = await body('增长率 $r = (1+g)^n - 1$。\n\n$$\nV = \\frac{C}{r-g}\n$$');
    expect(file.messages).toEqual([]);
    expect(html).toContain('<span class="katex"><span class="katex-mathml"><math');
    expect(html).toContain('<span class="katex-display">');
    expect(html).not.toContain('$');
  });

  it('displays $$…$$ written on a line of its own (as TeX and Pandoc do); inside a sentence (as GitBook writes inline formulas) it stays in the line, as $…$ does', async () => {
    const displayed = (html: string): number => html.split('<span class="katex-display">').length - 1;
    expect(displayed((await body('$$IRR = \\sum_t \\frac{C_t}{(1+r)^t}$$')).html)).toBe(1);
    const { html, file } = await body('即 $$V = \\frac{C}{r-g}$$ 其中 $g$ 为增长率。');
    expect(file.messages).toEqual([]);
    expect(displayed(html)).toBe(0);
    expect(html.split('<span class="katex">').length - 1).toBe(2);
  });

  it('keeps a one-line $$…$$ in the line inside a heading, a table cell or a link', async () => {
    const { html } = await body('## 增长 $$g^2$$\n\n| 公式 |\n| --- |\n| $$r^2$$ |\n\n[见 $$x$$](https://example.com)');
    expect(html).not.toContain('katex-display');
    expect(html.split('<span class="katex">').length - 1).toBe(3);
  });

  it('refuses a formula nested beyond the limit at its place (KaTeX’s markup would overflow the stack), and takes one at the limit', async () => {
    const nested = (n: number): string => `$$${'\\sqrt{'.repeat(n)}x${'}'.repeat(n)}$$`;
    const deep = await body(`正文。\n\n${nested(250)}`);
    expect(deep.file.messages.map((m) => [m.line, m.column, m.ruleId, m.fatal, m.reason])).toEqual([
      [12, 1, 'math-refused', true, 'formula nested 250 levels deep, more than the limit of 40: simplify it'],
    ]);
    const atLimit = await body(nested(40));
    expect(atLimit.file.messages).toEqual([]);
    expect(atLimit.html).toContain('katex-display');
  });

  it('refuses commands that only trust would allow, which KaTeX prints as red TeX', async () => {
    for (const tex of ['\\href{https://example.com}{x}', '\\url{https://example.com}', '\\htmlClass{c}{x}', '\\includegraphics{a.png}']) {
      const { file, html } = await body(`见 $${tex}$ 处`);
      expect(file.messages.map((m) => [m.ruleId, m.fatal]), tex).toEqual([['math-refused', true]]);
      expect(html).not.toContain('katex');
    }
  });

  it('warns of Chinese in a formula outside \\text{…}, and says nothing to stderr', async () => {
    const warn = vi.spyOn(console, 'warn');
    try {
      const loose = await body('$$价格 = p \\times q$$');
      expect(loose.file.messages.map((m) => [m.line, m.column, m.ruleId, m.fatal])).toEqual([[10, 1, 'math-chinese', false]]);
      const wrapped = await body('$$\\text{价格} = p \\times \\textrm{数量}$$');
      expect(wrapped.file.messages).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('places the error of a block formula at the block, in one line without KaTeX’s stack', async () => {
    const { file } = await body('正文。\n\n$$\n\\frac{a}{b\n$$');
    const [error] = file.messages;
    expect([error?.line, error?.column, error?.place && 'end' in error.place ? error.place.end.line : undefined, error?.ruleId]).toEqual([12, 1, 14, 'math-invalid']);
    expect(error?.message).toMatch(/^formula cannot be typeset: KaTeX parse error: /);
    expect(error?.cause).toBeUndefined();
  });

  it('keeps prices as text: $100 and $200 is no formula', async () => {
    const { html } = await body('价格在 $100 与 $200 之间，又如 $5 和 $6。');
    expect(html).toBe('<p>价格在 $100 与 $200 之间，又如 $5 和 $6。</p>');
  });

  it('reports a formula KaTeX cannot read as an error at its line', async () => {
    const { file } = await body('正文。\n\n公式 $\\frac{1}{$ 坏了。');
    const errors = file.messages.filter((m) => m.fatal);
    expect(errors.map((m) => [m.line, m.column, m.ruleId])).toEqual([[12, 4, 'math-invalid']]);
  });

  it('never lets KaTeX links or HTML commands through', async () => {
    const { html } = await body('$\\href{javascript:alert(1)}{x}$ 与 $\\htmlId{x}{y}$');
    expect(html).not.toMatch(/ href=|<a |id="x"/);
  });
});

describe('code blocks', () => {
  it('puts each line in its own box, for the hanging indent of wrapped lines', async () => {
    const { html } = await body('```\na  b\n\nc\n```');
    expect(html).toBe('<pre><code><span class="code-line">a  b</span><span class="code-line"></span><span class="code-line">c</span></code></pre>');
  });
});

describe('a formula and the punctuation after it', () => {
  it('are kept on one line: a comma never starts the next one', async () => {
    const { html } = await body('增长率为$g$，则价值为$V$。');
    expect(html).toMatch(/<span class="math-nobreak"><span class="katex">.*?<\/span>，<\/span>则价值为<span class="math-nobreak"><span class="katex">.*?<\/span>。<\/span><\/p>/);
  });
});

describe('page breaks decided in the markup', () => {
  it('keeps a paragraph ending in a colon with the list after it, and any paragraph right before a table with the table', async () => {
    const { html } = await body('重点如下：\n\n1) 第一\n2) 第二\n\n下表列出各期的回报。\n\n| 期间 | 回报 |\n| --- | ---: |\n| 2024 | 8.7% |\n\n普通的一段。\n\n- 一项');
    expect(html).toContain('<p class="keep-with-next">重点如下：</p>');
    expect(html).toContain('<p class="keep-with-next">下表列出各期的回报。</p>');
    expect(html).toContain('<p>普通的一段。</p>');
    const figure = await body('下图是回撤的对比（示意）：\n\n![示意图](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==)');
    expect(figure.html).toContain('<p class="keep-with-next">下图是回撤的对比（示意）：</p>');
  });
});
