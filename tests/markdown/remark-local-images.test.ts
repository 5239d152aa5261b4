import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VFile } from 'vfile';
import { beforeAll, describe, expect, it } from 'vitest';
import { serializeHtml } from '../../src/html/render-document.ts';
import { decodeDataUrl } from '../../src/load/data-url.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const frontMatter = '---\ntitle: 图\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n';
// A 1×1 PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
// A PNG outside the project, with a marker that must never reach the output.
const outsidePng = Buffer.concat([png, Buffer.from('OUTSIDE-SECRET-BYTES')]);
const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/><use href="#g"/></svg>';
let cwd: string;
let outside: string;

beforeAll(async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'letterpress-images-'));
  cwd = path.join(root, 'project');
  outside = path.join(root, 'outside');
  await mkdir(path.join(cwd, 'content', 'img'), { recursive: true });
  await mkdir(path.join(cwd, 'assets'), { recursive: true });
  await mkdir(path.join(cwd, 'shared'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(cwd, 'content', 'img', 'chart.png'), png);
  await writeFile(path.join(cwd, 'content', 'img', 'chart.svg'), svg);
  await writeFile(path.join(cwd, 'content', 'img', 'fake.png'), 'root:x:0:0:root:/root:/bin/bash\n');
  await writeFile(path.join(cwd, 'content', 'img', 'photo.jpg'), png);
  await writeFile(path.join(cwd, 'content', 'img', 'huge.png'), Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)]));
  await writeFile(path.join(cwd, 'assets', 'logo.png'), png);
  // 2.7 GB once decoded: its header says 30000×30000.
  const vast = Buffer.from(png);
  vast.writeUInt32BE(30000, 16);
  vast.writeUInt32BE(30000, 20);
  await writeFile(path.join(cwd, 'content', 'img', 'vast.png'), vast);
  await writeFile(path.join(cwd, 'shared', 'seal.png'), png);
  await writeFile(path.join(cwd, 'secret.png'), png);
  await writeFile(path.join(outside, 'real.png'), outsidePng);
  await symlink('/etc/passwd', path.join(cwd, 'content', 'img', 'passwd.png'));
  await symlink(outside, path.join(cwd, 'content', 'linked'));
  await symlink(path.join(outside, 'real.png'), path.join(cwd, 'assets', 'out.png'));
});

async function run(body: string, data: Partial<VFile['data']> = {}): Promise<{ html: string; file: VFile }> {
  const file = new VFile({ path: 'content/letter.md', cwd, value: `${frontMatter}\n${body}` });
  Object.assign(file.data, data);
  return { html: serializeHtml(await processMarkdown(file)), file };
}

const errors = (file: VFile): string[] => file.messages.filter((m) => m.fatal).map((m) => `${m.line}:${m.column} ${m.reason}`);
const svgData = (text: string): string => `data:image/svg+xml,${encodeURIComponent(text)}`;

describe('local images', () => {
  it('inlines an image beside the letter and records it as an asset', async () => {
    const { html, file } = await run('![图表](img/chart.png "标题")\n');
    expect(errors(file)).toEqual([]);
    expect(html).toContain(`<img src="data:image/png;base64,${png.toString('base64')}" alt="图表" title="标题">`);
    expect(file.data.assets).toEqual([{ path: path.join('content', 'img', 'chart.png'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });

  it('refuses an image of more than 50 MP at its line, from its header', async () => {
    const { html, file } = await run('正文。\n\n![巨图](img/vast.png)\n');
    expect(errors(file)).toEqual(['12:1 image `img/vast.png` is 30000×30000 pixels (900 MP), more than the 50 MP an image may have: scale it down']);
    expect(html).not.toContain('<img');
  });

  it('names a missing image and its line', async () => {
    const { file } = await run('正文。\n\n![缺图](img/missing.png)\n');
    expect(errors(file)).toEqual(['12:1 image `img/missing.png` not found (looked for content/img/missing.png)']);
  });

  it('refuses remote images and files outside the letter’s folder and the assets folder', async () => {
    const { file } = await run('![a](https://example.com/a.png) ![c](../secret.png) ![d](/etc/hostname.png) ![e](//host/x.png)\n');
    expect(errors(file)).toEqual([
      "10:1 image `https://example.com/a.png` is not a local file: use a file in the letter's folder or the assets folder, or a data: URL",
      "10:33 image `../secret.png` is outside the letter's folder and the assets folder",
      "10:53 image `/etc/hostname.png` is outside the letter's folder and the assets folder",
      "10:77 image `//host/x.png` is not a local file: use a file in the letter's folder or the assets folder, or a data: URL",
    ]);
  });

  it('refuses a reference-style image outside the folders like an inline one', async () => {
    const { file, html } = await run('![c][s]\n\n[s]: ../secret.png\n');
    expect(errors(file)).toEqual(["10:1 image `../secret.png` is outside the letter's folder and the assets folder"]);
    expect(html).not.toContain('secret.png');
  });

  it('refuses an image that is a symbolic link to /etc/passwd, before reading it', async () => {
    const { file, html } = await run('![p](img/passwd.png)\n');
    expect(errors(file)).toEqual([
      "10:1 image `img/passwd.png` is a link to a file outside the letter's folder and the assets folder: copy the image into the project",
    ]);
    expect(html).not.toContain('root:x:0:0');
    expect(html).not.toContain(Buffer.from('root:x:0:0').toString('base64').slice(0, 12));
  });

  it('refuses an image in a symlinked folder that points outside, and one linked from the assets folder', async () => {
    const { file, html } = await run('![o](linked/real.png)\n\n![q](../assets/out.png)\n');
    expect(errors(file)).toEqual([
      "10:1 image `linked/real.png` is a link to a file outside the letter's folder and the assets folder: copy the image into the project",
      "12:1 image `../assets/out.png` is a link to a file outside the letter's folder and the assets folder: copy the image into the project",
    ]);
    expect(html).not.toContain('OUTSIDE-SECRET');
    expect(html).not.toContain(outsidePng.toString('base64'));
    expect(file.data.assets).toEqual([]);
  });

  it('refuses a file whose bytes are not the image type its name says', async () => {
    const { file, html } = await run('![f](img/fake.png) ![j](img/photo.jpg)\n');
    expect(errors(file)).toEqual([
      '10:1 image `img/fake.png` is not a PNG image (its bytes do not start as one)',
      '10:20 image `img/photo.jpg` is not a JPEG image (its bytes do not start as one)',
    ]);
    expect(html).not.toContain(Buffer.from('root:x:0:0').toString('base64').slice(0, 12));
  });

  it('takes images from the project’s assets folder, or from the folder given as assetsDir', async () => {
    const { file, html } = await run('![l](../assets/logo.png)\n');
    expect(errors(file)).toEqual([]);
    expect(html).toContain(`src="data:image/png;base64,${png.toString('base64')}"`);
    // Listed like the letter's own images: a PDF/A and the archive keep it.
    expect(file.data.assets).toEqual([{ path: path.join('assets', 'logo.png'), sha256: createHash('sha256').update(png).digest('hex') }]);
    const other = await run('![s](../shared/seal.png) ![l](../assets/logo.png)\n', { assetsDir: path.join(cwd, 'shared') });
    expect(errors(other.file)).toEqual(["10:26 image `../assets/logo.png` is outside the letter's folder and the assets folder"]);
  });

  it('refuses an assets folder that is a link out of the project', async () => {
    const { file, html } = await run('![o](../../outside/real.png)\n', { assetsDir: path.join(cwd, 'content', 'linked') });
    expect(errors(file)).toEqual(["10:1 image `../../outside/real.png` is outside the letter's folder and the assets folder"]);
    const viaLink = await run('![o](linked/real.png)\n', { assetsDir: path.join(cwd, 'content', 'linked') });
    expect(errors(viaLink.file)[0]).toContain('is a link to a file outside');
    expect(html + viaLink.html).not.toContain('OUTSIDE-SECRET');
  });

  it('reports a malformed percent escape at its position instead of crashing', async () => {
    const { file } = await run('正文 ![a](a%zz.png)\n');
    expect(errors(file)).toEqual(['10:4 image `a%zz.png` has a malformed percent escape (such as %zz): write the file name as it is, or %25 for a “%”']);
  });

  it('inlines a safe SVG file and checks SVG files for what runs or fetches', async () => {
    const { file, html } = await run('![s](img/chart.svg)\n');
    expect(errors(file)).toEqual([]);
    expect(html).toContain(`src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"`);
  });
});

describe('data: images', () => {
  it('accepts the usual types after checking their bytes, and re-encodes them', async () => {
    const gif = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');
    const webp = Buffer.from('RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00', 'latin1');
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);
    const body = [
      `![p](data:image/png;base64,${png.toString('base64')})`,
      `![g](data:image/gif;base64,${gif.toString('base64')})`,
      `![w](data:image/webp;base64,${webp.toString('base64')})`,
      `![j](data:image/jpeg;base64,${jpeg.toString('base64')})`,
      `![s](${svgData(svg)})`,
    ].join('\n\n');
    const { file, html } = await run(`${body}\n`);
    expect(errors(file)).toEqual([]);
    for (const [type, bytes] of [['png', png], ['gif', gif], ['webp', webp], ['jpeg', jpeg], ['svg+xml', Buffer.from(svg)]] as const) {
      expect(html).toContain(`src="data:image/${type};base64,${bytes.toString('base64')}"`);
    }
    expect(file.data.assets).toEqual([]);
  });

  it('refuses a data: URL whose bytes are not its type, or of a type that is no image', async () => {
    const { file } = await run(`![b](data:image/png;base64,AAAA) ![h](data:text/html,%3Cscript%3Ealert(1)%3C%2Fscript%3E) ![x](data:image/png;base64,%%%)\n`);
    expect(errors(file)).toEqual([
      '10:1 image `data:image/png;base64,AAAA` is not a PNG image (its bytes do not start as one)',
      '10:34 image `data:text/html,%3Cscript%3Ealert(1)%3C%2Fscript%3E` is of type `text/html`, not a PNG, JPEG, GIF, WebP or SVG image',
      '10:91 image `data:image/png;base64,%%%` is not valid base64',
    ]);
  });

  const unsafe: [string, string][] = [
    ['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'is an SVG image with a <script> element, which letters may not use'],
    ['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'is an SVG image with an event handler (onload), which letters may not use'],
    ['<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>', 'is an SVG image with a <foreignObject> element, which letters may not use'],
    ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="file:///etc/passwd"/></svg>', 'is an SVG image that links outside itself (xlink:href), which letters may not use'],
    ['<svg xmlns="http://www.w3.org/2000/svg"><a href="https://evil.example/"><text>x</text></a></svg>', 'is an SVG image that links outside itself (href), which letters may not use'],
    ['<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/p)"/></svg>', 'is an SVG image that refers to outside resources (a url(), @import or javascript: link)'],
    ['<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', 'is an SVG image with a DOCTYPE or entity declaration, which letters may not use'],
    ['<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', 'is not an SVG image: not well-formed XML'],
    ['<html><body/></html>', 'is not an SVG image (its root element is not <svg>)'],
  ];
  it.each(unsafe)('refuses the unsafe or broken SVG %s at its position', async (text, reason) => {
    const { file, html } = await run(`正文。\n\n![s](${svgData(text)})\n`);
    const [error] = errors(file);
    expect(error).toMatch(/^12:1 image `data:image\/svg\+xml,/);
    expect(error).toContain(reason);
    expect(html).toBe('<p>正文。</p>\n<p></p>');
  });

  it('refuses an image larger than 10 MB, a data: URL before decoding it', async () => {
    const huge = `data:image/png;base64,${'A'.repeat(14 * 1024 * 1024)}`;
    expect(decodeDataUrl(huge)).toEqual({ problem: 'holds more than 10 MB, the limit for an image' });
    const { file } = await run('![h](img/huge.png)\n');
    expect(errors(file)).toEqual(['10:1 image `img/huge.png` is larger than 10 MB, the limit for an image']);
  });

  it('never quotes more than 60 characters of a URL', async () => {
    const long = `https://example.com/${'a'.repeat(13000)}.png`;
    const { file } = await run(`![r](${long})\n`);
    const [error = ''] = errors(file);
    expect(error).toContain(`\`${long.slice(0, 60)}…\``);
    expect(error.length).toBeLessThan(200);
  });
});
