import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { serializeHtml } from '../../src/html/render-document.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const update = process.env.UPDATE_FIXTURES === '1';

async function run(name: string): Promise<{ html: string; file: VFile }> {
  const input = path.join(fixtures, name, 'input.md');
  const file = new VFile({ path: input, value: await readFile(input, 'utf8') });
  return { html: serializeHtml(await processMarkdown(file)), file };
}

describe('processMarkdown fixtures (input.md → expected.html)', () => {
  for (const name of readdirSync(fixtures)) {
    it(name, async () => {
      const { html } = await run(name);
      const expectedPath = path.join(fixtures, name, 'expected.html');
      if (update) await writeFile(expectedPath, `${html}\n`);
      expect(html).toBe((await readFile(expectedPath, 'utf8')).trimEnd());
    });
  }
});

describe('processMarkdown', () => {
  it('keeps the source numbering of points across parts', async () => {
    const { html } = await run('numbered-points');
    expect(html).toContain('<ol>');
    expect(html).toContain('<ol start="17">');
  });

  it('gives Chinese headings readable, stable, unique ids and records them', async () => {
    const { html, file } = await run('chinese-headings');
    expect(html).toContain('<h2 id="i-闭源模型">');
    expect(file.data.headings).toEqual([
      { depth: 2, id: 'i-闭源模型', text: 'I. 闭源模型' },
      { depth: 3, id: '小结未来-2-3-年', text: '小结：未来 2-3 年' },
      { depth: 2, id: 'i-闭源模型-1', text: 'I. 闭源模型' },
      { depth: 4, id: 'scaling-law-与数据墙', text: 'Scaling Law 与“数据墙”' },
    ]);
  });

  it('puts emphasis right next to Chinese punctuation (CommonMark alone would not)', async () => {
    const { html } = await run('cjk-emphasis');
    expect(html).toContain('<strong>强调</strong>。');
    expect(html).toContain('<strong>“引号内强调”</strong>之后');
  });

  it('never lets a script, an event handler, an iframe or a javascript: link through, and says so at each line', async () => {
    const { html, file } = await run('sanitise');
    expect(html).not.toMatch(/<script|onerror|<iframe|javascript:/i);
    const reports = file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.fatal ? 'error' : 'warning'}`);
    // A script holds text that would be lost: an error. A remote image is refused like a Markdown one; an empty iframe is left out with a warning; a javascript: link is an error.
    expect(reports).toEqual(['16:1 link-url error', '10:8 html-element error', '14:1 html-element warning', '12:1 image error']);
  });
});
