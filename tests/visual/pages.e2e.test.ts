import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { changedPixels, expectMatchesReference, references, renderPages, tolerance, updateVisual } from '../support/visual.ts';

describe('visual regression of the memo (refresh with `npm run test:visual:update`)', () => {
  const pages = renderPages(path.join(inject('memoOut'), '2023-12-llm-observations.pdf'));

  it('has a reference for every page, and no reference for a page that is gone', () => {
    if (updateVisual) return;
    const expected = readdirSync(references).filter((f) => f.startsWith('memo-page-'));
    expect(expected).toHaveLength(pages.length);
  });

  pages.forEach((file, i) => {
    it(`page ${i + 1} matches its reference`, () => expectMatchesReference(file, `memo-page-${i + 1}.png`));
  });

  it('notices one Chinese character swapped for another (the comparison can fail)', async () => {
    if (updateVisual) return;
    const source = readFileSync(path.join(projectRoot, 'content/2023-12-llm-observations.md'), 'utf8');
    // 要 → 更 in point 1: the same width, so nothing moves but the one glyph.
    const swapped = source.replace('预期要难', '预期更难');
    expect(swapped).not.toBe(source);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'letterpress-visual-swap-'));
    writeFileSync(path.join(dir, '2023-12-llm-observations.md'), swapped);
    const result = await runCli(['build', path.join(dir, '2023-12-llm-observations.md'), '--out', dir]);
    expect(result.code, result.stderr).toBe(0);
    const [first] = renderPages(path.join(dir, '2023-12-llm-observations.pdf'), 1);
    expect(changedPixels(first ?? '', path.join(references, 'memo-page-1.png'))).toBeGreaterThan(tolerance);
  });
});
