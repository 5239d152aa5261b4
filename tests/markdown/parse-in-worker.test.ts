import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { markdownReader } from '../../src/markdown/markdown-syntax.ts';
import { parseInWorker } from '../../src/markdown/parse-in-worker.ts';
import { InterruptedError } from '../../src/common/errors.ts';
import { parseLetters } from '../../src/pipeline/build-batch.ts';
import { processMarkdown, workerParseFrom } from '../../src/markdown/process-markdown.ts';
import { richLetter } from '../support/long-letter.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../markdown/fixtures');

const parseHere = (text: string): unknown => markdownReader().parse(text);

describe('parseInWorker', () => {
  it('reads every fixture and a rich letter (front matter, tables, formulas, notes) exactly as the command’s own thread does', async () => {
    const texts = await Promise.all(readdirSync(fixtures).map((name) => readFile(path.join(fixtures, name, 'input.md'), 'utf8')));
    // One text (a worker each would cost a third of a second): the rich letter's front matter first, the fixtures after it.
    const text = [await richLetter(1), ...texts].join('\n\n');
    expect(await parseInWorker(text)).toEqual(parseHere(text));
  });

  it('lets processMarkdown read a letter of the threshold’s length (in a worker) as it reads a short one', async () => {
    // Long paragraphs: the length is what counts, and few nodes keep the transforms quick.
    const paragraph = `${'拾象认为，大模型的竞争正在从参数规模转向 data 与 compute 的效率。'.repeat(100)}\n\n`;
    const frontMatter = 'title: 长信\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n';
    const long = `---\n${frontMatter}---\n\n## 第一部分\n\n${paragraph.repeat(Math.ceil(workerParseFrom / paragraph.length))}`;
    expect(long.length).toBeGreaterThanOrEqual(workerParseFrom);
    const longFile = new VFile({ path: 'long.md', value: long });
    const longTree = await processMarkdown(longFile);
    const shortFile = new VFile({ path: 'short.md', value: long.slice(0, 2000) });
    await processMarkdown(shortFile);
    expect(longFile.messages.filter((m) => m.fatal)).toEqual([]);
    expect(longFile.data.frontMatter?.title).toBe('长信');
    expect(longFile.data.headings).toEqual(shortFile.data.headings);
    expect(longTree.children.filter((node) => node.type === 'element' && node.tagName === 'p').length).toBe(Math.ceil(workerParseFrom / paragraph.length));
  });

  it('is not started once the command was interrupted (a Ctrl-C before the parse began), and a running parse ends on the command’s signal', async () => {
    const interrupted = new AbortController();
    interrupted.abort(new InterruptedError('interrupted (SIGINT)'));
    await expect(parseInWorker('# 标题', interrupted.signal)).rejects.toBeInstanceOf(InterruptedError);
    const later = new AbortController();
    const parse = parseInWorker(`${'> '.repeat(32)}深\n`.repeat(20_000), later.signal);
    later.abort(new InterruptedError('interrupted (SIGINT)'));
    await expect(parse).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe('parseLetters', () => {
  it('answers a Ctrl-C during the parse with the interruption, not with the letters’ errors', async () => {
    const interrupted = new AbortController();
    const reason = new InterruptedError('interrupted (SIGINT): nothing was changed; earlier outputs are as they were');
    interrupted.abort(reason);
    // A letter with errors (no front matter): without the signal, parseLetters throws a ContentError.
    const file = new VFile({ path: 'broken.md', value: '正文，没有前言。\n' });
    await expect(parseLetters([file], interrupted.signal)).rejects.toBe(reason);
  });
});
