import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../support/run-cli.ts';

const references = path.join(projectRoot, 'tests/visual/reference');
const update = process.env.UPDATE_VISUAL === '1';
/** Share of pixels allowed to differ (antialiasing noise); a moved line or glyph changes far more. */
const tolerance = 0.002;

/** Renders every page of the memo's PDF at 40 dpi with poppler. */
function renderPages(): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'letterpress-visual-'));
  execFileSync('pdftoppm', ['-r', '40', '-png', path.join(inject('memoOut'), '2023-12-llm-observations.pdf'), path.join(dir, 'page')]);
  return readdirSync(dir)
    .sort()
    .map((f) => path.join(dir, f));
}

describe('visual regression of the memo (refresh with `npm run test:visual:update`)', () => {
  const pages = renderPages();

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
      const actual = PNG.sync.read(readFileSync(file));
      const wanted = PNG.sync.read(readFileSync(reference));
      expect([actual.width, actual.height]).toEqual([wanted.width, wanted.height]);
      const diff = new PNG({ width: actual.width, height: actual.height });
      const changed = pixelmatch(actual.data, wanted.data, diff.data, actual.width, actual.height, { threshold: 0.1 });
      if (changed / (actual.width * actual.height) > tolerance) writeFileSync(`${file}.diff.png`, PNG.sync.write(diff));
      expect(changed / (actual.width * actual.height), `${changed} pixels differ; see ${file}.diff.png`).toBeLessThanOrEqual(tolerance);
    });
  });
});
