import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, inject, it } from 'vitest';
import { buildFileInProcess, sharedBrowser } from '../support/in-process.ts';
import { projectRoot } from '../support/run-cli.ts';
import { commonRight } from '../support/letter-checks.ts';
import { readLines } from '../support/typography-check.ts';

const mm = 72 / 25.4;

/** The right margin of each page with text: justified lines end exactly at the text block's edge, where most lines end. */
async function rightMargins(pdf: string): Promise<{ page: number; margin: number }[]> {
  const doc = await PDFDocument.load(await readFile(pdf));
  const { lines, pages: sizes } = readLines(pdf);
  const pages = [...new Set(lines.map((l) => l.page))];
  return pages.map((page) => {
    // Poppler measures from the sheet's left edge; the trim box may sit inside a larger sheet.
    const sheet = doc.getPage(page - 1).getMediaBox();
    const trim = doc.getPage(page - 1).getTrimBox();
    const trimRight = trim.x + trim.width - sheet.x;
    const body = lines.filter((l) => l.page === page && l.yMin > 60 && l.yMax < (sizes[page - 1]?.height ?? 0) - 60);
    return { page, margin: (trimRight - commonRight(body.map((l) => l.xMax))) / mm };
  });
}

const browser = sharedBrowser();

describe('page set-up', () => {
  it('the pdf profile has the same margins on every page', async () => {
    for (const { margin } of await rightMargins(path.join(inject('memoOut'), '2023-12-llm-observations.pdf'))) expect(margin).toBeCloseTo(22, 0);
  });

  it('the print profile mirrors them for duplex: the wider margin is always at the binding', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'letterpress-print-'));
    await browser.use((chromium) => buildFileInProcess(chromium, path.join(projectRoot, 'content/2023-12-llm-observations.md'), out, { page: { paper: 'a4', profile: 'print' } }));
    const margins = await rightMargins(path.join(out, '2023-12-llm-observations.print.pdf'));
    expect(margins.length).toBeGreaterThanOrEqual(4);
    for (const { page, margin } of margins) {
      // Odd pages are rectos (binding on the left, outer margin right); even pages are versos.
      expect(margin, `page ${page}`).toBeCloseTo(page % 2 === 1 ? 19 : 26, 0);
    }
  });
});
