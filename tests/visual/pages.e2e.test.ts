import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot, runCli } from '../support/run-cli.ts';

const references = path.join(projectRoot, 'tests/visual/reference');
const update = process.env.UPDATE_VISUAL === '1';
/** At 100 dpi a 10.5 pt character is about 15 px square, and one glyph swapped for another changes well over 25 pixels (the test below proves it). */
const dpi = 100;
/** Pixels allowed to differ on a page: antialiasing noise only, less than one glyph. */
const tolerance = 25;

/** Renders every page of a PDF with poppler. */
function renderPages(pdf: string): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'letterpress-visual-'));
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', pdf, path.join(dir, 'page')]);
  return readdirSync(dir)
    .sort()
    .map((f) => path.join(dir, f));
}

/** Pixels that differ between two renders of the same size. */
function changedPixels(file: string, reference: string): number {
  const actual = PNG.sync.read(readFileSync(file));
  const wanted = PNG.sync.read(readFileSync(reference));
  expect([actual.width, actual.height]).toEqual([wanted.width, wanted.height]);
  const diff = new PNG({ width: actual.width, height: actual.height });
  const changed = pixelmatch(actual.data, wanted.data, diff.data, actual.width, actual.height, { threshold: 0.1 });
  if (changed > tolerance) writeFileSync(`${file}.diff.png`, PNG.sync.write(diff));
  return changed;
}

describe('visual regression of the memo (refresh with `npm run test:visual:update`)', () => {
  const pages = renderPages(path.join(inject('memoOut'), '2023-12-llm-observations.pdf'));

  it('has a reference for every page, and no reference for a page that is gone', () => {
    if (update) return;
    const expected = readdirSync(references).filter((f) => f.startsWith('memo-page-'));
    expect(expected).toHaveLength(pages.length);
  });

  pages.forEach((file, i) => {
    it(`page ${i + 1} matches its reference`, () => {
      const reference = path.join(references, `memo-page-${i + 1}.png`);
      if (update || !existsSync(reference)) {
        expect(update, `no reference image ${reference}: run npm run test:visual:update`).toBe(true);
        writeFileSync(reference, readFileSync(file));
        return;
      }
      const changed = changedPixels(file, reference);
      expect(changed, `${changed} pixels differ; see ${file}.diff.png`).toBeLessThanOrEqual(tolerance);
    });
  });

  it('notices one Chinese character swapped for another (the comparison can fail)', async () => {
    if (update) return;
    const source = readFileSync(path.join(projectRoot, 'content/2023-12-llm-observations.md'), 'utf8');
    // 要 → 更 in point 1: the same width, so nothing moves but the one glyph.
    const swapped = source.replace('预期要难', '预期更难');
    expect(swapped).not.toBe(source);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'letterpress-visual-swap-'));
    writeFileSync(path.join(dir, '2023-12-llm-observations.md'), swapped);
    const result = await runCli(['build', path.join(dir, '2023-12-llm-observations.md'), '--out', dir]);
    expect(result.code, result.stderr).toBe(0);
    const [first] = renderPages(path.join(dir, '2023-12-llm-observations.pdf'));
    const reference = path.join(references, 'memo-page-1.png');
    expect(changedPixels(first ?? '', reference)).toBeGreaterThan(tolerance);
  });
});
