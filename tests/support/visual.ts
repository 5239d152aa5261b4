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
/** At 100 dpi a 10.5 pt character is about 15 px square: one glyph swapped for another changes well over `tolerance` pixels (tests/visual proves it). */
const dpi = 100;
/** Pixels allowed to differ on a page: antialiasing noise only, less than one glyph. */
export const tolerance = 25;

/** Renders pages of a PDF with poppler (all, or `first`–`last`), one PNG each, in order. */
export function renderPages(pdf: string, first?: number, last?: number): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'letterpress-visual-'));
  const range = first ? ['-f', String(first), '-l', String(last ?? first)] : [];
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', ...range, pdf, path.join(dir, 'page')]);
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
  const changed = changedPixels(file, reference);
  expect(changed, `${changed} pixels differ; see ${file}.diff.png`).toBeLessThanOrEqual(tolerance);
}

/** Pixels that differ between a render and a reference of the same size (a diff image is written beside the render when over the tolerance). */
export function changedPixels(file: string, reference: string): number {
  const actual = PNG.sync.read(readFileSync(file));
  const wanted = PNG.sync.read(readFileSync(reference));
  expect([actual.width, actual.height]).toEqual([wanted.width, wanted.height]);
  const diff = new PNG({ width: actual.width, height: actual.height });
  const changed = pixelmatch(actual.data, wanted.data, diff.data, actual.width, actual.height, { threshold: 0.1 });
  if (changed > tolerance) writeFileSync(`${file}.diff.png`, PNG.sync.write(diff));
  return changed;
}
