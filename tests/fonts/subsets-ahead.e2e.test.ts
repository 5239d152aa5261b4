import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildLetterHtml } from '../../src/pipeline/build-letter.ts';
import { useCacheRoot } from '../../src/common/cache-dir.ts';
import { letterFile } from '../../src/load/load-letters.ts';

const root = path.join(import.meta.dirname, '../..');
const corpus = path.join(root, 'tests/fixtures/letters');
const all = [
  ['content', '2023-12-llm-observations.md'],
  ...(await readdir(corpus)).filter((name) => name.endsWith('.md')).map((name) => ['tests/fixtures/letters', name]),
] as [string, string][];
// KaTeX writes characters the source does not hold (∑ for \sum, −, zero-width spaces): a letter with
// formulas has its text faces cut again in the HTML stage, which costs time and nothing else.
const withFormulas = async ([folder, name]: [string, string]): Promise<boolean> => /\$|```math/.test(await readFile(path.join(root, folder, name), 'utf8'));
const letters = (await Promise.all(all.map(async (letter) => ((await withFormulas(letter)) ? [] : [letter])))).flat();

/** The files in `folder` once no more arrive (a cut in the background may still be writing one). */
async function settledCount(folder: string): Promise<number> {
  let last = -1;
  for (;;) {
    const count = (await readdir(folder)).length;
    if (count === last) return count;
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

afterAll(() => useCacheRoot(undefined));

/**
 * The text faces' subsets are cut from the letter's alphabet while the
 * Markdown stage runs (subset-cache.ts prepareFonts); the HTML stage must then ask
 * for exactly those. Each subset cut is one file in an empty cache: when the
 * HTML asks for other ones, there are more files than @font-face rules.
 * (In the end-to-end lane, though it starts no browser: every build is cold, 2–3 s each.)
 */
describe('font subsets cut ahead of the HTML stage', () => {
  it('is tried on the memo and most of the corpus', () => {
    expect(letters.length).toBeGreaterThanOrEqual(all.length - 1);
  });

  it.each(letters)('%s/%s: every subset cut is one the document uses', async (folder, name) => {
    const cache = await mkdtemp(path.join(os.tmpdir(), 'letterpress-subsets-ahead-'));
    useCacheRoot(cache);
    const source = await readFile(path.join(root, folder, name), 'utf8');
    const built = await buildLetterHtml(letterFile(name, source, path.join(root, folder)), { page: { paper: 'a4', profile: 'pdf' } });
    const rules = built.html.match(/@font-face \{/g)?.length ?? 0;
    expect(rules).toBeGreaterThan(0);
    expect(await settledCount(path.join(cache, 'fonts'))).toBe(rules);
  });
});
