import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VFile } from 'vfile';
import { beforeAll, describe, expect, it } from 'vitest';
import { serializeHtml } from '../../src/html/render-document.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const frontMatter = '---\ntitle: 图\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n';
// A 1×1 PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'letterpress-images-'));
  await mkdir(path.join(cwd, 'content', 'img'), { recursive: true });
  await writeFile(path.join(cwd, 'content', 'img', 'chart.png'), png);
  await writeFile(path.join(cwd, 'secret.png'), png);
});

async function run(body: string): Promise<{ html: string; file: VFile }> {
  const file = new VFile({ path: 'content/letter.md', cwd, value: `${frontMatter}\n${body}` });
  return { html: serializeHtml(await processMarkdown(file)), file };
}

const errors = (file: VFile): string[] => file.messages.filter((m) => m.fatal).map((m) => `${m.line}:${m.column} ${m.reason}`);

describe('local images', () => {
  it('inlines an image beside the letter and records it as an asset', async () => {
    const { html, file } = await run('![图表](img/chart.png "标题")\n');
    expect(errors(file)).toEqual([]);
    expect(html).toContain(`<img src="data:image/png;base64,${png.toString('base64')}" alt="图表" title="标题">`);
    expect(file.data.assets).toEqual([{ path: path.join('content', 'img', 'chart.png'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });

  it('names a missing image and its line', async () => {
    const { file } = await run('正文。\n\n![缺图](img/missing.png)\n');
    expect(errors(file)).toEqual(['12:1 image `img/missing.png` not found (looked for content/img/missing.png)']);
  });

  it('refuses remote images, data: URLs and files outside the letter’s folder', async () => {
    const { file } = await run('![a](https://example.com/a.png) ![b](data:image/png;base64,AAAA) ![c](../secret.png) ![d](/etc/hostname.png)\n');
    expect(errors(file)).toEqual([
      '10:1 image `https://example.com/a.png` is not a local file: letters may only use images from their own folder',
      '10:33 image `data:image/png;base64,AAAA` is not a local file: letters may only use images from their own folder',
      "10:66 image `../secret.png` is outside the letter's folder",
      "10:86 image `/etc/hostname.png` is outside the letter's folder",
    ]);
  });
});
