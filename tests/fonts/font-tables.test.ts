import { describe, expect, it } from 'vitest';
import { readCodePoints } from '../../src/fonts/font-tables.ts';
import { bundledFaces } from '../../src/fonts/font-faces.ts';

describe('readCodePoints (the cmap table alone)', () => {
  it('finds the characters a bundled face draws and not those it lacks', async () => {
    const serif = bundledFaces.find((f) => f.family === 'Noto Serif SC' && f.weight === 400);
    if (!serif) throw new Error('no Noto Serif SC Regular');
    const points = await readCodePoints(serif.file);
    for (const char of '拾象大模型A9，。“”') expect(points.has(char.codePointAt(0) ?? 0), char).toBe(true);
    // 𠮷 (outside the BMP, format 12) and a private-use code point.
    expect(points.has(0x20bb7)).toBe(false);
    expect(points.has(0xe000)).toBe(false);
    expect(points.size).toBeGreaterThan(20_000);
  });
});
