import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTocCache, tocCacheKey, writeTocCache } from '../../src/toc/toc-cache.ts';

let saved: string | undefined;
let dir: string;
beforeAll(async () => {
  saved = process.env.LETTERPRESS_CACHE_DIR;
  dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-toc-cache-unit-'));
  process.env.LETTERPRESS_CACHE_DIR = dir;
});
afterAll(() => {
  if (saved === undefined) delete process.env.LETTERPRESS_CACHE_DIR;
  else process.env.LETTERPRESS_CACHE_DIR = saved;
});

describe('the TOC cache', () => {
  it('keys by the document: another document, another key', () => {
    expect(tocCacheKey('<p>a</p>')).toBe(tocCacheKey('<p>a</p>'));
    expect(tocCacheKey('<p>a</p>')).not.toBe(tocCacheKey('<p>b</p>'));
  });

  it('gives back what was kept, and nothing for an unknown document', async () => {
    const key = tocCacheKey('doc');
    await writeTocCache(key, new Map([['part-1', 1], ['part-2', 3]]));
    expect(await readTocCache(key)).toEqual(new Map([['part-1', 1], ['part-2', 3]]));
    expect(await readTocCache(tocCacheKey('other'))).toBeUndefined();
  });

  it('ignores a damaged entry instead of trusting it', async () => {
    const key = tocCacheKey('damaged');
    await writeFile(path.join(dir, 'toc', `${key}.json`), '[["part-1","one"]]');
    expect(await readTocCache(key)).toBeUndefined();
    await writeFile(path.join(dir, 'toc', `${key}.json`), 'not json');
    expect(await readTocCache(key)).toBeUndefined();
  });
});
