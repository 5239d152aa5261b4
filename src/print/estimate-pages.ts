import type { Page } from 'puppeteer-core';
import { type PageBox, readPageBox } from './page-box.ts';

/**
 * Letters longer than this many pages find their headings with a first print
 * instead: small differences add up over a long letter (a 151-page one came
 * out a page off from page 92 on), and there a wrong guess costs a whole print.
 */
const estimateUpTo = 16;

/**
 * Where each heading will land, without printing: the letter laid out in
 * print media in columns the size of the page's content box, so that
 * Chromium's own fragmentation engine breaks it where it will break the pages
 * (forced page breaks become column breaks, `avoid-page` becomes `avoid`).
 * Undefined when it cannot tell: pages of another size (named pages, a first
 * page with its own margins), left and right pages of different widths, no
 * margins declared, or a long letter. The page is left as it was. The print
 * that follows checks every number, so a wrong guess costs a print, never a
 * wrong TOC.
 *
 * `sheet` is the paper in points.
 */
export async function estimateHeadingPages(page: Page, targets: readonly string[], sheet: { width: number; height: number }): Promise<Map<string, number> | undefined> {
  await page.emulateMediaType('print');
  try {
    // CSS pixels are 96 to the inch, points 72.
    const box = await page.evaluate(readPageBox, (sheet.width * 96) / 72, (sheet.height * 96) / 72);
    const pages = box && (await page.evaluate(layOutInColumns, [...targets], box, estimateUpTo));
    return pages ? new Map(pages) : undefined;
  } finally {
    await page.emulateMediaType();
  }
}

/** Runs inside the page (serialised by Puppeteer, so self-contained). */
function layOutInColumns(targets: string[], box: PageBox, upTo: number): [string, number][] | null {
  // A cheap bound before any layout: a page holds a thousand or two characters.
  if ((document.body.textContent ?? '').length > upTo * 3000) return null;
  const { width, height } = box;

  const columns = document.createElement('style');
  columns.textContent = `html { width: ${width}px !important; height: ${height}px !important; columns: ${width}px !important; column-gap: 0 !important; column-fill: auto !important; margin: 0 !important; padding: 0 !important; }`;
  document.head.append(columns);
  const restyled: [HTMLElement, string | null][] = [];
  try {
    for (const element of document.body.querySelectorAll<HTMLElement>('*')) {
      const computed = getComputedStyle(element);
      if (computed.getPropertyValue('page') !== 'auto') return null;
      let kept = false;
      for (const property of ['break-before', 'break-after', 'break-inside']) {
        const value = computed.getPropertyValue(property);
        const inColumns = ['page', 'left', 'right', 'recto', 'verso'].includes(value) ? 'column' : value === 'avoid-page' ? 'avoid' : undefined;
        if (!inColumns) continue;
        if (!kept) restyled.push([element, element.getAttribute('style')]);
        kept = true;
        element.style.setProperty(property, inColumns, 'important');
      }
    }
    const origin = document.documentElement.getBoundingClientRect().left;
    const pages: [string, number][] = [];
    for (const id of targets) {
      const first = document.getElementById(id)?.getClientRects()[0];
      if (!first) return null;
      const at = Math.floor((first.left - origin + 1) / width) + 1;
      if (at > upTo) return null;
      pages.push([id, at]);
    }
    return pages;
  } finally {
    for (const [element, style] of restyled) {
      // Read first: Chromium writes a style changed through the CSSOM back into the attribute lazily, and would bring back an empty one.
      element.getAttribute('style');
      if (style === null) element.removeAttribute('style');
      else element.setAttribute('style', style);
    }
    columns.remove();
  }
}
