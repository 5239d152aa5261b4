import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VFile } from 'vfile';
import { beforeAll, describe, expect, it } from 'vitest';
import { serializeHtml } from '../../src/html/render-document.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';
import { safeColour } from '../../src/markdown/rehype-html-allow-list.ts';

const frontMatter = '---\ntitle: 表\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n';
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'letterpress-html-'));
  await mkdir(path.join(cwd, 'content'), { recursive: true });
  await writeFile(path.join(cwd, 'content', 'chart.png'), png);
});

async function run(body: string): Promise<{ html: string; file: VFile }> {
  const file = new VFile({ path: 'content/letter.md', cwd, value: `${frontMatter}\n${body}` });
  return { html: serializeHtml(await processMarkdown(file)), file };
}
const reports = (file: VFile): string[] => file.messages.map((m) => `${m.line}:${m.column} ${m.fatal ? 'error' : 'warning'} ${m.reason}`);

describe('HTML in a letter', () => {
  it('keeps a table pasted from LibreOffice: its cells, spans and alignment, with the letter’s table classes', async () => {
    const { html, file } = await run(
      '<table>\n<tr><td rowspan="2" align="left"><font face="宋体" size="2">沪深300</font></td><td align="right"><font face="Arial">-11.4%</font></td></tr>\n<tr><td align="right"><font color="#c00000">-7.2%</font></td></tr>\n</table>\n',
    );
    expect(reports(file)).toEqual([]);
    expect(html).toMatch(/<table class="table-keep table-9">/);
    expect(html).toContain('<td rowspan="2" align="left"><span>沪深300</span></td>');
    expect(html).toContain('<td align="right" class="num"><span>-11.4%</span></td>');
    expect(html).toContain('<span style="color:#c00000">-7.2%</span>');
    expect(html).not.toMatch(/face=|size=/);
  });

  it('makes a first row of <th> cells the head of a table pasted without <thead>, so it repeats on each page', async () => {
    const { html } = await run('<table><tr><th>指数</th><th>跌幅</th></tr><tr><td>纳指</td><td>-33%</td></tr></table>\n');
    expect(html).toMatch(/<table[^>]*><thead><tr><th>指数<\/th><th class="num">跌幅<\/th><\/tr><\/thead><tbody><tr><td>纳指<\/td><td class="num">-33%<\/td><\/tr><\/tbody><\/table>/);
  });

  it('keeps the inline elements people paste, and prints <details> open', async () => {
    const { html, file } = await run('H<sub>2</sub>O, x<sup>2</sup>, <u>下划线</u>, <mark>重点</mark>, <s>删</s>, <del>除</del>, 行<br>断\n\n<center>居中</center>\n\n<div align="right">右</div>\n\n<details><summary>展开</summary>\n\n隐藏的段落\n\n</details>\n');
    expect(reports(file)).toEqual([]);
    for (const kept of ['<sub>2</sub>', '<sup>2</sup>', '<u>下划线</u>', '<mark>重点</mark>', '<s>删</s>', '<del>除</del>', '<br>', '<div align="center">居中</div>', '<div align="right">右</div>', '<details open><summary>展开</summary>', '<p>隐藏的段落</p>']) {
      expect(html).toContain(kept);
    }
  });

  it('keeps a safe colour, drops one too pale to read and every other style', async () => {
    const { html } = await run('<span style="color: red; font-size: 40pt">红</span><span style="color:#fff">白</span><span style="background:url(http://x/y)">背</span><font color="rgb(0, 0, 139)">蓝</font>\n');
    expect(html).toContain('<span style="color:#ff0000">红</span><span>白</span><span>背</span><span style="color:#00008b">蓝</span>');
    expect(safeColour('expression(alert(1))')).toBeUndefined();
    expect(safeColour('#ffffee')).toBeUndefined();
    expect(safeColour('navy')).toBe('#000080');
  });

  it('reads an <img> as a Markdown image is read: local and checked, inlined with its size; a remote one is an error at its line', async () => {
    const { html, file } = await run('<img src="chart.png" width="300" height="x" onerror="alert(1)">\n\n<img src="https://example.com/a.png">\n\n<img src="../../etc/passwd.png">\n');
    expect(html).toContain(`<img src="data:image/png;base64,${png.toString('base64')}" width="300">`);
    expect(html).not.toMatch(/example\.com|passwd|onerror/);
    expect(reports(file)).toEqual([
      '12:1 error image `https://example.com/a.png` is not a local file: use a file in the letter\'s folder or the assets folder, or a data: URL',
      "14:1 error image `../../etc/passwd.png` is outside the letter's folder and the assets folder",
    ]);
    expect(file.data.assets?.map((a) => a.path)).toEqual([path.join('content', 'chart.png')]);
  });

  it('makes an element outside the allow-list that holds text an error naming the tag and line; an empty one a warning', async () => {
    const { html, file } = await run('前文\n\n<marquee>滚动的字</marquee>\n\n<style>p { color: red }</style>\n\n<object data="x.pdf"></object>\n');
    expect(reports(file)).toEqual([
      '12:1 error HTML element `<marquee>` is not allowed in a letter, and its text (“滚动的字”) would be lost: write it in Markdown or with an element the letter allows (docs/importing.md)',
      '14:1 error HTML element `<style>` is not allowed in a letter, and its text (“p { color: red }”) would be lost: write it in Markdown or with an element the letter allows (docs/importing.md)',
      '16:1 warning HTML element `<object>` is not allowed in a letter and was left out (it holds no text)',
    ]);
    expect(html).not.toMatch(/<style|<object|<marquee/);
  });
});
