import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serializeHtml } from '../../src/html/render-document.ts';
import { LetterFileError } from '../../src/load/letter-file-error.ts';
import { loadLetters } from '../../src/load/load-letters.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const frontMatter = '---\ntitle: 读入\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n';
let root: string;
let cwd: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'letterpress-load-'));
  cwd = path.join(root, 'project');
  await mkdir(path.join(cwd, 'content', 'folder.md'), { recursive: true });
  await writeFile(path.join(root, 'outside.md'), `${frontMatter}\nOUTSIDE-LETTER\n`);
  await symlink(path.join(root, 'outside.md'), path.join(cwd, 'content', 'link.md'));
  await symlink(root, path.join(cwd, 'content', 'up'));
});

const messages = async (name: string, bytes: Uint8Array | string): Promise<string[]> => {
  await writeFile(path.join(cwd, 'content', name), bytes);
  const [file] = await loadLetters([`content/${name}`], cwd);
  return file?.messages.map((m) => `${m.line}:${m.column} ${m.reason}`) ?? [];
};

describe('loading a letter', () => {
  it('reports bytes that are not UTF-8 (here GBK) with their line and column, and keeps no text', async () => {
    const gbk = Buffer.concat([Buffer.from(`${frontMatter}\n第一行\n第二`), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from('\n')]);
    expect(await messages('gbk.md', gbk)).toEqual(['11:3 not valid UTF-8 at 11:3 (byte 0xD6): save the letter as UTF-8']);
    const [file] = await loadLetters(['content/gbk.md'], cwd);
    expect(file?.value).toBe('');
  });

  it('refuses overlong encodings and lone surrogates that a lenient decoder would pass or turn into U+FFFD', async () => {
    expect(await messages('overlong.md', Buffer.from([0x61, 0xc0, 0xaf]))).toEqual(['1:2 not valid UTF-8 at 1:2 (byte 0xC0): save the letter as UTF-8']);
    expect(await messages('surrogate.md', Buffer.from([0x0a, 0xed, 0xa0, 0x80]))).toEqual(['2:1 not valid UTF-8 at 2:1 (byte 0xED): save the letter as UTF-8']);
  });

  it('reads CR-only and CRLF line endings as line endings, with the positions an editor shows', async () => {
    const text = `${frontMatter}\n第一段。\n\n第二段。\n`;
    for (const ending of ['\r', '\r\n']) {
      await writeFile(path.join(cwd, 'content', 'cr.md'), text.replace(/\n/g, ending));
      const [file] = await loadLetters(['content/cr.md'], cwd);
      if (!file) throw new Error('no file');
      expect(file.value).toBe(text);
      expect(serializeHtml(await processMarkdown(file))).toBe('<p>第一段。</p>\n<p>第二段。</p>');
      expect(file.data.frontMatter?.title).toBe('读入');
      expect(file.messages).toEqual([]);
      expect(await messages('cr-control.md', text.replace('第二段', '第二段\x01').replace(/\n/g, ending))).toEqual([]);
      const [broken] = await loadLetters(['content/cr-control.md'], cwd);
      if (!broken) throw new Error('no file');
      await processMarkdown(broken);
      expect(broken.messages.map((m) => `${m.line}:${m.column} ${m.reason}`)).toEqual(['12:4 control character U+0001 is not allowed in a letter: delete it']);
    }
  });

  it('drops a leading byte-order mark', async () => {
    await writeFile(path.join(cwd, 'content', 'bom.md'), `\ufeff${frontMatter}\n正文。\n`);
    const [file] = await loadLetters(['content/bom.md'], cwd);
    expect(file?.value).toBe(`${frontMatter}\n正文。\n`);
  });

  it('refuses a letter over 1 MB at 1:1 without reading it', async () => {
    expect(await messages('big.md', Buffer.alloc(1024 * 1024 + 1, 0x61))).toEqual(['1:1 the letter is 1.0 MB (1,048,577 bytes), more than the limit of 1.0 MB (1,048,576 bytes): split it into several letters']);
  });

  it('refuses a letter that leads out of the project through a symbolic link (itself or a folder)', async () => {
    await expect(loadLetters(['content/link.md'], cwd)).rejects.toThrow(LetterFileError);
    await expect(loadLetters(['content/link.md'], cwd)).rejects.toThrow(
      `letter \`content/link.md\` is a symbolic link to ${path.join(root, 'outside.md')}, outside the project: copy the letter into the project instead of linking to it`,
    );
    await expect(loadLetters(['content/up/outside.md'], cwd)).rejects.toThrow('is a symbolic link to');
  });

  it('names a missing file, a folder and an over-long path in one line each, quoting only the head of the path', async () => {
    await expect(loadLetters(['content/missing.md'], cwd)).rejects.toThrow('letter `content/missing.md` does not exist: check the name; paths are relative to the current folder');
    await expect(loadLetters(['content/folder.md'], cwd)).rejects.toThrow('letter `content/folder.md` is a folder, not a letter: name the Markdown files in it, e.g. `folder/*.md`');
    // The folder letterpress runs in, named as `.`: the same one line, not a crash on an empty path.
    await expect(loadLetters(['.'], cwd)).rejects.toThrow('letter `.` is a folder, not a letter: name the Markdown files in it, e.g. `folder/*.md`');
    const long = 'a'.repeat(100_000);
    const error = await loadLetters([long], cwd).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LetterFileError);
    expect((error as Error).message).toBe(`letter \`${'a'.repeat(60)}…\` has a path too long for the file system: name the letter by a shorter path`);
  });

  it('refuses a FIFO at once (opening it would wait for a writer, out of reach of Ctrl-C)', async () => {
    const fifo = path.join(cwd, 'content', 'fifo.md');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(loadLetters(['content/fifo.md'], cwd)).rejects.toThrow('letter `content/fifo.md` is not a regular file: name a Markdown file');
  });

  it('reads a file whose stated size is 0 (as in /proc) to its end', async () => {
    const [file] = await loadLetters(['/proc/self/status'], cwd);
    expect(String(file?.value)).toMatch(/^Name:/);
  });
});
