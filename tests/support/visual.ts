import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { expect } from 'vitest';
import { projectRoot } from './run-cli.ts';

export const references = path.join(projectRoot, 'tests/visual/reference');
/** `npm run test:visual:update` sets it: references are written instead of compared. */
export const updateVisual = process.env.UPDATE_VISUAL === '1';
/** Share of pixels allowed to differ (antialiasing noise); a moved line or glyph changes far more. */
const tolerance = 0.002;

/** Renders pages of a PDF at 40 dpi with poppler (all, or `first`–`last`), one PNG each, in order. */
export function renderPages(pdf: string, first?: number, last?: number): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'letterpress-visual-'));
  const range = first ? ['-f', String(first), '-l', String(last ?? first)] : [];
  execFileSync('pdftoppm', ['-r', '40', '-png', ...range, pdf, path.join(dir, 'page')]);
  return readdirSync(dir)
    .sort()
    .map((f) => path.join(dir, f));
}

/** Compares a rendered page with its reference image (or writes the reference when updating). */
export function expectMatchesReference(file: string, name: string): void {
  const reference = path.join(references, name);
  if (updateVisual || !existsSync(reference)) {
    expect(updateVisual, `no reference image ${reference}: run npm run test:visual:update`).toBe(true);
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
}
