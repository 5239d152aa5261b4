/**
 * The benchmark's floor: the least any tool must do to print letterpress's HTML
 * with this Chromium. Same launch (withBrowser: same executable, flags and
 * fontconfig), same HTML, wait for its fonts, print once with the same options,
 * nothing else. Run as a whole process:
 *
 *   node --import tsx tests/bench/floor.ts <in.html> <out.pdf>
 *
 * Prints one JSON line on stdout: FloorReport (bench.ts imports only that type).
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Page } from 'puppeteer-core';
import { withBrowser } from '../../src/chromium/browser.ts';
import { printOptions } from '../../src/print/print-options.ts';

/** What every print needs first, as render-pdf.ts does it: the document loaded, its fonts ready. Returns the ms of each. */
async function loadPage(page: Page, html: string): Promise<{ setContent: number; fontsReady: number }> {
  const start = performance.now();
  await page.setContent(html, { waitUntil: 'load' });
  const loaded = performance.now();
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return { setContent: loaded - start, fontsReady: performance.now() - loaded };
}

export interface FloorReport {
  /** Milliseconds of each step inside the process. */
  steps: { launch: number; newPage: number; setContent: number; fontsReady: number; print: number; close: number };
  /** Peak resident memory of this Node process (Chromium's own processes are not counted, as for the build). */
  peakMb: number;
  pdfBytes: number;
}

async function main(htmlPath: string, pdfPath: string): Promise<FloorReport> {
  const html = await readFile(htmlPath, 'utf8');
  const steps: Partial<FloorReport['steps']> = {};
  let last = performance.now();
  const lap = (name: keyof FloorReport['steps']): void => {
    const now = performance.now();
    steps[name] = Math.round(now - last);
    last = now;
  };
  const pdf = await withBrowser(async (browser) => {
    lap('launch');
    const page = await browser.newPage();
    lap('newPage');
    const loaded = await loadPage(page, html);
    steps.setContent = Math.round(loaded.setContent);
    steps.fontsReady = Math.round(loaded.fontsReady);
    last = performance.now();
    const printed = await page.pdf(printOptions());
    lap('print');
    return printed;
  });
  lap('close');
  await writeFile(pdfPath, pdf);
  // resourceUsage().maxRSS is in KiB, as in the build's `done peak memory` line.
  return { steps: steps as FloorReport['steps'], peakMb: Math.round(process.resourceUsage().maxRSS / 1024), pdfBytes: pdf.length };
}

const [htmlPath, pdfPath] = process.argv.slice(2);
if (!htmlPath || !pdfPath) throw new Error('usage: node --import tsx tests/bench/floor.ts <in.html> <out.pdf>');
process.stdout.write(`${JSON.stringify(await main(htmlPath, pdfPath))}\n`);
