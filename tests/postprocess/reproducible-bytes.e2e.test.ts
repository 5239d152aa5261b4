import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { longLetter } from '../support/long-letter.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';

const letters = ['memo', 'typography', 'long'] as const;

/**
 * The same letters built three times, each run as a whole CLI process: with an
 * empty cache (the TOC's pages estimated, or found by a first print for the
 * long letter; font subsets cut in the run, loaded after the document, and
 * printed as WOFF made by Node's zlib), again with the cache that run left
 * (one pass; the kept subsets, WOFF made by pako, printed), and with another empty cache.
 * The PDF and HTML bytes must be the same each time.
 */
describe('PDF bytes depend on the source alone, not on the caches, the number of layout passes or how the printed fonts were compressed', () => {
  const runs: { stderr: string; pdfs: Map<string, Buffer>; html: Map<string, Buffer> }[] = [];
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-bytes-'));
    await mkdir(path.join(dir, 'src'));
    await cp(path.join(projectRoot, 'content/2023-12-llm-observations.md'), path.join(dir, 'src/memo.md'));
    // Its footnotes and table give structure elements that others point at (/ID, /Headers).
    await cp(path.join(projectRoot, 'tests/fixtures/typography/letter/input.md'), path.join(dir, 'src/typography.md'));
    await cp(path.join(projectRoot, 'tests/fixtures/typography/letter/chart.svg'), path.join(dir, 'src/chart.svg'));
    await writeFile(path.join(dir, 'src/long.md'), await longLetter(8));
    const build = async (cache: string, out: string) => {
      const result = await runCli(['build', ...letters.map((l) => `src/${l}.md`), '--out', out], { cwd: dir, env: { LETTERPRESS_CACHE_DIR: path.join(dir, cache) } });
      if (result.code !== 0) throw new Error(result.stderr);
      const read = (ext: string) => Promise.all(letters.map(async (l) => [l, await readFile(path.join(dir, out, `${l}.${ext}`))] as const));
      runs.push({ stderr: result.stderr, pdfs: new Map(await read('pdf')), html: new Map(await read('html')) });
    };
    await build('cache-a', 'cold');
    await build('cache-a', 'warm');
    await build('cache-b', 'cold-again');
  }, 300_000);

  it('the cold builds found the pages by an estimate (one pass) or a first print (the long letter: two), the warm one kept them (one pass)', () => {
    for (const cold of [runs[0]!, runs[2]!]) {
      expect(cold.stderr).toMatch(/src\/memo\.md: 1 pass\(es\) from estimated pages/);
      expect(cold.stderr).toMatch(/src\/typography\.md: 1 pass\(es\) from estimated pages/);
      expect(cold.stderr).toMatch(/src\/long\.md: 2 pass\(es\),/);
    }
    for (const letter of letters) expect(runs[1]!.stderr).toMatch(new RegExp(`src/${letter}\\.md: 1 pass\\(es\\),`));
  });

  it.each(letters)('%s: the same PDF and HTML bytes from an empty cache, a warm cache and another empty cache', (letter) => {
    for (const kind of ['pdfs', 'html'] as const) {
      const [cold, warm, again] = runs.map((r) => r[kind].get(letter)!);
      expect(warm!.equals(cold!), `${kind}: warm differs from cold`).toBe(true);
      expect(again!.equals(cold!), `${kind}: second cold differs from cold`).toBe(true);
    }
  });

  it('structure element ids are numbered from 1 in the order of the file, whatever the renderer counted', () => {
    const qdf = path.join(dir, 'typography.qdf.pdf');
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', path.join(dir, 'cold/typography.pdf'), qdf]);
    const text = execFileSync('strings', [qdf], { encoding: 'utf8' });
    const ids = [...text.matchAll(/\/ID \((node\d{8})\)/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual(ids.map((_, i) => `node${String(i + 1).padStart(8, '0')}`));
  });
});
