import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCacheRoot } from '../../src/cache-dir.ts';
import { readTocCache, tocCacheKey, writeTocCache } from '../../src/toc/toc-cache.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-toc-cache-unit-'));
  useCacheRoot(dir);
});
afterAll(() => useCacheRoot(undefined));

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
    await mkdir(path.join(dir, 'toc'), { recursive: true });
    await writeFile(path.join(dir, 'toc', `${key}.json`), '[["part-1","one"]]');
    expect(await readTocCache(key)).toBeUndefined();
    await writeFile(path.join(dir, 'toc', `${key}.json`), 'not json');
    expect(await readTocCache(key)).toBeUndefined();
  });
});
