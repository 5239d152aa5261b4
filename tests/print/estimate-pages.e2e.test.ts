import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paperSizes, type PageSetup } from '../../src/config/page-setup.ts';
import { estimateHeadingPages } from '../../src/print/estimate-pages.ts';
import { loadDocument, openPrintTab } from '../../src/print/print-tab.ts';
import { setParagraphs } from '../../src/print/render-pdf.ts';
import { tocPageClass, writeTocNumbers } from '../../src/toc/toc-numbers.ts';
import { buildFileInProcess, sharedBrowser } from '../support/in-process.ts';
import { projectRoot } from '../support/run-cli.ts';

const browser = sharedBrowser();

/**
 * Each letter built (its TOC numbered from real prints), then its HTML loaded
 * in a fresh tab with the TOC's numbers reset to the placeholder a first build
 * starts from, its paragraphs set on their chosen lines as a print sets them,
 * and the headings' pages estimated there without printing.
 */
async function estimate(letter: string, page: PageSetup, css = ''): Promise<{ printed: Map<string, number>; estimated?: Map<string, number>; unchanged: boolean; printMedia: boolean }> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'letterpress-estimate-'));
  return browser.use(async (chromium) => {
    const built = await buildFileInProcess(chromium, letter, out, { page });
    const printed = new Map(built.toc.map((line) => [line.id, line.page]));
    const { page: tab } = await openPrintTab(chromium);
    try {
      await loadDocument(tab, built.html.replace('</head>', `<style>${css}</style></head>`));
      await tab.evaluate(writeTocNumbers, tocPageClass, [...printed.keys()].map((id): [string, number] => [id, 0]));
      await setParagraphs(tab, paperSizes[page.paper]);
      const before = await tab.evaluate(() => document.documentElement.outerHTML);
      const estimated = await estimateHeadingPages(tab, [...printed.keys()], paperSizes[page.paper]);
      const unchanged = (await tab.evaluate(() => document.documentElement.outerHTML)) === before;
      const printMedia = await tab.evaluate(() => matchMedia('print').matches);
      return { printed, estimated, unchanged, printMedia };
    } finally {
      await tab.close();
    }
  });
}

const a4: PageSetup = { paper: 'a4', profile: 'pdf' };

describe("the headings' pages estimated before the first print (estimate-pages.ts)", () => {
  it.each(['content/2023-12-llm-observations.md', ...['bilingual-annual-meeting', 'methods-appendix', 'quarterly-2024-q3', 'research-parts'].map((l) => `tests/fixtures/letters/${l}.md`)])(
    '%s: every heading on the page it prints on, and the page left as it was',
    async (letter) => {
      const { printed, estimated, unchanged, printMedia } = await estimate(path.join(projectRoot, letter), a4);
      expect(printed.size).toBeGreaterThan(0);
      expect(estimated).toEqual(printed);
      expect(unchanged).toBe(true);
      expect(printMedia).toBe(false);
    },
  );

  it('holds for the printer’s mirrored margins on letter paper too', async () => {
    const { printed, estimated } = await estimate(path.join(projectRoot, 'content/2023-12-llm-observations.md'), { paper: 'letter', profile: 'print' });
    expect(estimated).toEqual(printed);
  });

  it('gives no estimate for pages of another size (a table set on a landscape page), a first page of its own, or a long letter', async () => {
    const fixtures = path.join(projectRoot, 'tests/fixtures/letters');
    const landscape = await estimate(path.join(fixtures, 'fund-family-overview.md'), a4);
    expect(landscape.estimated).toBeUndefined();
    expect(landscape.unchanged).toBe(true);
    expect((await estimate(path.join(projectRoot, 'content/2023-12-llm-observations.md'), a4, '@page :first { margin-top: 60mm; }')).estimated).toBeUndefined();
    const long = await estimate(path.join(fixtures, 'annual-2023.md'), a4);
    expect(Math.max(...long.printed.values())).toBeGreaterThan(16);
    expect(long.estimated).toBeUndefined();
  });
});
