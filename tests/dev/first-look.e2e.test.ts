import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPreview } from '../../src/dev/build-preview.ts';
import { KeptTab } from '../../src/print/print-tab.ts';
import type { BrowserStart } from '../../src/chromium/browser.ts';
import { longLetter } from '../support/long-letter.ts';
import { readPdf } from '../support/pdf.ts';
import { sharedBrowser } from '../support/in-process.ts';

const browser = sharedBrowser();
const asStart = (): BrowserStart => ({ use: (work) => browser.use(work), close: async () => undefined });
const pageText = (page: { items: { str: string }[] }): string => page.items.map((i) => i.str).join('');

describe('the live preview prints the pages in the reader’s window first', () => {
  it('hands over exactly those pages, as the whole print has them, before the whole letter', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-first-look-'));
    const file = path.join(dir, 'long.md');
    await writeFile(file, await longLetter(4));
    const tab = new KeptTab();
    const early: Uint8Array[] = [];
    const built = await buildPreview(file, { cwd: dir, browser: asStart(), tab, firstLook: { pages: '3-4', show: async (pdf) => void early.push(pdf) } });
    const beyond: Uint8Array[] = [];
    const again = await buildPreview(file, { cwd: dir, browser: asStart(), tab, firstLook: { pages: '900-901', show: async (pdf) => void beyond.push(pdf) } });
    await tab.close();

    expect(built.pdf).toBeDefined();
    const whole = await readPdf(built.pdf!);
    expect(whole.length).toBeGreaterThan(5);
    expect(early).toHaveLength(1);
    const first = await readPdf(early[0]!);
    expect(first.map(pageText)).toEqual([whole[2]!, whole[3]!].map(pageText));
    // A window the letter does not reach (it got shorter) prints nothing early; the whole letter still comes.
    expect(beyond).toEqual([]);
    // (Compared by text: Chromium stamps each print with the time.)
    expect((await readPdf(again.pdf!)).map(pageText)).toEqual(whole.map(pageText));
  });
});
