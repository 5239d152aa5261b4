/**
 * The contract between the TOC's markup and the layout passes: each page
 * number is a `.toc-page` element whose `data-target` names the heading id,
 * and the PDF stage rewrites its text in the loaded page.
 */
export const tocPageClass = 'toc-page';

/**
 * Runs inside the page (serialised by Puppeteer, so self-contained: the class
 * comes in as an argument): writes each heading's page number into the TOC.
 */
export function writeTocNumbers(pageClass: string, numbers: [string, number][]): void {
  const pageOf = new Map(numbers);
  for (const el of document.querySelectorAll<HTMLElement>(`.${pageClass}[data-target]`)) {
    el.textContent = String(pageOf.get(el.dataset.target ?? '') ?? el.textContent);
  }
}
