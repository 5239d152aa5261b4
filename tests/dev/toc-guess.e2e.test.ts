import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { longLetter } from '../support/long-letter.ts';
import { buildInProcess, previewInProcess, sharedBrowser } from '../support/in-process.ts';

const browser = sharedBrowser();

describe('the TOC guess dev passes from one build to the next', () => {
  it('lets an edited letter print once, with the same numbers a build without it finds in two passes', async () => {
    // Too long for its pages to be estimated: without a guess, a build prints twice.
    const memo = await longLetter(6);
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-toc-guess-'));
    await browser.use(async (b) => {
      const first = await buildInProcess(b, 'memo', memo, { cacheDir });
      expect(first.log).toMatch(/: 2 pass\(es\)/);
      const tocGuess = new Map(first.toc.map((line) => [line.id, line.page]));

      const guided = await previewInProcess(b, 'memo', memo.replace('判断猜想：', '判断猜想；'), { cacheDir, tocGuess });
      expect(guided.log).toMatch(/: 1 pass\(es\)/);
      const unguided = await buildInProcess(b, 'memo', memo.replace('判断猜想：', '判断猜想!'), { cacheDir });
      expect(unguided.log).toMatch(/: 2 pass\(es\)/);
      expect(guided.toc).toEqual(unguided.toc);
      expect(guided.toc.every((line) => line.page > 0)).toBe(true);
      await Promise.all([first, guided, unguided].map((built) => rm(built.dir, { recursive: true, force: true })));
    });
    await rm(cacheDir, { recursive: true, force: true });
  });
});
