import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCacheRoot } from '../../src/common/cache-dir.ts';
import { letterTocKey, readTocCache, tocCacheKey, writeTocCache } from '../../src/toc/toc-cache.ts';

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

  it('keys a letter file’s last numbers by its path and page setup, apart from any document', () => {
    const a4 = { paper: 'a4', profile: 'pdf' } as const;
    expect(letterTocKey('/letters/q3.md', a4)).toBe(letterTocKey('/letters/q3.md', { ...a4 }));
    expect(letterTocKey('/letters/q3.md', a4)).not.toBe(letterTocKey('/letters/q4.md', a4));
    expect(letterTocKey('/letters/q3.md', a4)).not.toBe(letterTocKey('/letters/q3.md', { paper: 'letter', profile: 'pdf' }));
    expect(letterTocKey('/letters/q3.md', a4)).not.toBe(letterTocKey('/letters/q3.md', { paper: 'a4', profile: 'print' }));
    expect(letterTocKey('/letters/q3.md', a4)).not.toBe(tocCacheKey('/letters/q3.md'));
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
