import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, inject, it } from 'vitest';
import { buildLetter, buildLetterHtml } from '../../src/pipeline/build-letter.ts';
import { ContentError } from '../../src/common/errors.ts';
import * as api from '../../src/index.ts';
import { letterFile } from '../../src/load/load-letters.ts';
import { sharedBrowser } from '../support/in-process.ts';
import { projectRoot } from '../support/run-cli.ts';

const memoPath = 'content/2023-12-llm-observations.md';
const browser = sharedBrowser();
const memo = async () => letterFile(memoPath, await readFile(path.join(projectRoot, memoPath), 'utf8'), projectRoot);

describe('buildLetter(), the library core', () => {
  it('builds the memo in memory to the very bytes the CLI wrote, with everything the build knew', async () => {
    const letter = await browser.use(async (chromium) => buildLetter(await memo(), { page: { paper: 'a4', profile: 'pdf' } }, chromium));
    const out = inject('memoOut');
    expect(Buffer.from(letter.pdf ?? []).equals(await readFile(path.join(out, '2023-12-llm-observations.pdf')))).toBe(true);
    expect(letter.html).toBe(await readFile(path.join(out, '2023-12-llm-observations.html'), 'utf8'));
    expect(letter.frontMatter.title).toBe('拾象大模型观察思考 - 最新判断猜想');
    expect(letter.toc.map((t) => [t.title, t.page])).toEqual([
      ['I. 闭源模型', 1],
      ['II. 开源模型', expect.any(Number)],
      ['III. 多模态模型', expect.any(Number)],
      ['IV. 大模型应用格局', expect.any(Number)],
    ]);
    expect(letter.pages).toBeGreaterThanOrEqual(3);
    expect(letter.versions.chromium).toMatch(/Chrom/);
    expect(letter.versions.fonts).toContain('@expo-google-fonts/noto-serif-sc@0.4.3');
    expect(letter.timings.pdf).toBeGreaterThan(0);
  });

  it('takes the PDF’s dates from sourceDateEpoch, not from the environment', async () => {
    process.env.SOURCE_DATE_EPOCH = '86400';
    try {
      const letter = await browser.use(async (chromium) =>
        buildLetter(await memo(), { page: { paper: 'a4', profile: 'pdf' }, sourceDateEpoch: 1_700_000_000 }, chromium),
      );
      const doc = await PDFDocument.load(letter.pdf ?? new Uint8Array(), { updateMetadata: false });
      expect(doc.getCreationDate()?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
      expect(doc.getModificationDate()?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
  });

  it('lays the letter out as its HTML alone with buildLetterHtml(), without a browser', async () => {
    const letter = await buildLetterHtml(await memo(), { page: { paper: 'a4', profile: 'pdf' } });
    expect('pdf' in letter).toBe(false);
    expect(letter.html).toContain('<title>拾象大模型观察思考 - 最新判断猜想</title>');
    expect(letter.toc.every((t) => t.page === 0)).toBe(true);
  });

  it('throws a ContentError carrying the messages of a letter with errors', async () => {
    const file = letterFile('bad.md', '---\ntitle: x\n---\n\n正文\n', projectRoot);
    const error = await buildLetterHtml(file, { page: { paper: 'a4', profile: 'pdf' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).exitCode).toBe(1);
    expect((error as ContentError).files[0]?.messages.some((m) => m.fatal && /missing required front-matter key/.test(m.reason))).toBe(true);
  });
});

describe('the package’s API', () => {
  it('is importable as `letterpress` from the bundle, with the names of src/index.ts', () => {
    const names = execFileSync(process.execPath, ['--input-type=module', '-e', "const m = await import('letterpress'); console.log(JSON.stringify(Object.keys(m).sort()))"], {
      cwd: projectRoot,
      encoding: 'utf8',
    });
    expect(JSON.parse(names)).toEqual(Object.keys(api).sort());
  });
});
