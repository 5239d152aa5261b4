import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import subsetFont from 'subset-font';
import { describe, expect, it } from 'vitest';
import { bundledFaces } from '../../src/fonts/font-faces.ts';
import { cutInWorker, holdingSubsetter } from '../../src/fonts/subset-worker.ts';

// The WOFF reader of subset-font's own converter (a dependency of its fontverter).
const fromFontverter = createRequire(createRequire(createRequire(import.meta.url).resolve('subset-font')).resolve('fontverter'));
const { toSfnt } = fromFontverter('woff2sfnt-sfnt2woff') as { toSfnt: (woff: Buffer) => Buffer };

const serif = bundledFaces.find((f) => f.family === 'Noto Serif SC' && f.weight === 400);
const sans = bundledFaces.find((f) => f.family === 'Noto Sans SC' && f.weight === 700);
/** A Latin face: what is compared with subset-font does not depend on the script, and a face a fortieth the size is cut at once. */
const latin = bundledFaces.find((f) => f.family === 'Noto Serif' && f.weight === 400 && f.style === 'normal');
const chars = '拾象大模型观察思考，。“”ABC123';

describe('the subsetting worker: a WOFF to print, then the WOFF the files carry', () => {
  it('writes the files as subset-font itself would, and prints the same font tables', async () => {
    if (!latin) throw new Error('no Noto Serif Regular');
    const text = 'Letters to limited partners, 2023–2024.';
    const { print, file } = await holdingSubsetter(async () => {
      const cut = cutInWorker(latin.file, text);
      return { print: await cut.print, file: await cut.file };
    });
    // The files keep the bytes subset-font's WOFF (pako) gives: the HTML does not depend on Node's zlib.
    const own = await subsetFont(await readFile(latin.file), text, { targetFormat: 'woff' });
    expect(file.equals(own)).toBe(true);
    // The print's WOFF (Node's zlib) holds the very same font: decoded, the two are one sfnt.
    expect(print.subarray(0, 4).toString('latin1')).toBe('wOFF');
    expect(print.readUInt32BE(8)).toBe(print.length);
    expect(print.equals(file)).toBe(false);
    expect(toSfnt(print).equals(toSfnt(file))).toBe(true);
    expect(print.length).toBeLessThan(toSfnt(file).length);
  });

  it('cuts a face asked for later before it compresses the files of an earlier one', async () => {
    if (!serif || !sans) throw new Error('no Noto Serif SC Regular or Noto Sans SC Bold');
    const order: string[] = [];
    await holdingSubsetter(async () => {
      const first = cutInWorker(serif.file, chars);
      const second = cutInWorker(sans.file, chars);
      await Promise.all([
        first.print.then(() => order.push('first print')),
        first.file.then(() => order.push('first file')),
        second.print.then(() => order.push('second print')),
        second.file.then(() => order.push('second file')),
      ]);
    });
    expect(order).toEqual(['first print', 'second print', 'first file', 'second file']);
  });

  it('reports a font it cannot cut on both results', async () => {
    const cut = holdingSubsetter(async () => {
      const { print, file } = cutInWorker('/nonexistent/font.ttf', chars);
      return Promise.allSettled([print, file]);
    });
    const [print, file] = await cut;
    expect(print.status).toBe('rejected');
    expect(file.status).toBe('rejected');
    expect(String((print as PromiseRejectedResult).reason)).toMatch(/cutting a font subset failed: .*ENOENT/);
  });
});
