import type { Browser, CDPSession, Page } from 'puppeteer-core';

/** Tabs already handed out: Chromium starts with one blank tab, which the first render takes instead of opening another. */
const claimed = new WeakSet<Page>();

/** Only the document itself and its inline (data:) fonts and images may load; nothing leaves the machine or reads a file. */
function isOwnResource(url: string): boolean {
  return url.startsWith('data:') || url === 'about:blank';
}

type PrintTab = { page: Page; blocked: { urls: string[] } };

/** Each browser's first print tab, readied as soon as it is connected: Chromium takes a quarter of a second to hand out its first tab, while the letter's fonts are still being cut. */
const readied = new WeakMap<Browser, Promise<PrintTab>>();

export function readyPrintTab(browser: Browser): void {
  const tab = setUpTab(browser);
  tab.catch(() => undefined);
  readied.set(browser, tab);
}

/**
 * A tab that prints letterpress's documents: page scripts disabled and every
 * outside request aborted (and noted in `blocked`, which the caller may
 * replace between documents).
 */
export async function openPrintTab(browser: Browser): Promise<PrintTab> {
  const ready = readied.get(browser);
  readied.delete(browser);
  return (await ready?.catch(() => undefined)) ?? setUpTab(browser);
}

async function setUpTab(browser: Browser): Promise<PrintTab> {
  const blank = (await browser.pages()).find((p) => !claimed.has(p) && p.url() === 'about:blank');
  const page = blank ?? (await browser.newPage());
  claimed.add(page);
  const blocked = { urls: [] as string[] };
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    if (isOwnResource(request.url())) void request.continue();
    else {
      blocked.urls.push(request.url());
      void request.abort('blockedbyclient');
    }
  });
  return { page, blocked };
}

/** A CDP session of each tab's own, and its frame: documents are set through it. */
const sessions = new WeakMap<Page, Promise<{ session: CDPSession; frameId: string }>>();

function sessionOf(page: Page): Promise<{ session: CDPSession; frameId: string }> {
  let opened = sessions.get(page);
  if (!opened) {
    opened = (async () => {
      const session = await page.createCDPSession();
      const { frameTree } = await session.send('Page.getFrameTree');
      return { session, frameId: frameTree.frame.id };
    })();
    sessions.set(page, opened);
  }
  return opened;
}

/**
 * A document to print that can be loaded before its fonts are made: without
 * the rules of its first style element (the `@font-face` rules, most of its
 * bytes), which are then added in order, each as soon as it is known.
 */
export interface StagedDocument {
  /** The document, its first style element holding no rules. */
  fontless: string;
  /** That style element's rules, in order. */
  fontRules: readonly Promise<string>[];
}

/** A document as a whole, or staged. */
export type PrintDocument = string | StagedDocument;

/**
 * Loads a document into `page` and waits for its images and fonts. Through
 * CDP's Page.setDocumentContent rather than Puppeteer's setContent, which
 * hands the document to document.write() in the page: 0.2 s more for the
 * memo's 830 KB, most of them its fonts. A staged document's fonts are
 * added as they come: Chromium decodes one face while the next is cut.
 */
export async function loadDocument(page: Page, doc: PrintDocument): Promise<void> {
  const { session, frameId } = await sessionOf(page);
  await session.send('Page.setDocumentContent', { frameId, html: typeof doc === 'string' ? doc : doc.fontless });
  if (typeof doc !== 'string') {
    // Each rule goes after those before it that are in: the same style sheet, rule for rule, as the whole document's.
    const added: boolean[] = [];
    await Promise.all(
      doc.fontRules.map(async (rule, i) => {
        const text = await rule;
        const at = added.slice(0, i).filter(Boolean).length;
        added[i] = true;
        await page.evaluate(
          (css, index) => {
            document.querySelector('style')?.sheet?.insertRule(css, index);
            // Decoded now, while the next face is cut (without laying the document out again for each).
            for (const face of document.fonts) if (face.status === 'unloaded') face.load().catch(() => undefined);
          },
          text,
          at,
        );
      }),
    );
  }
  await page.evaluate(async () => {
    if (document.readyState !== 'complete') await new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
    // Laid out with every face in before the fonts are waited for.
    void document.body?.offsetHeight;
    await document.fonts.ready;
  });
}

/** The document with its body emptied: what must be equal for a body swap to give the same page as a fresh load. */
function shellOf(html: string): { shell: string; body: string } | undefined {
  const open = /<body[^>]*>/.exec(html);
  const close = html.lastIndexOf('</body>');
  if (!open || close < open.index) return undefined;
  const start = open.index + open[0].length;
  return { shell: html.slice(0, start) + html.slice(close), body: html.slice(start, close) };
}

/**
 * One tab kept for the prints of one letter (the live preview, which prints it
 * again on every save). When the next document differs from the last only in
 * its body — the usual edit — the body is swapped in place: the styles and
 * the fonts (most of the document's bytes) stay parsed and decoded. Otherwise
 * the document is loaded whole, as for a fresh tab.
 */
export class KeptTab {
  #tab?: { page: Page; blocked: { urls: string[] } };
  /** The loaded document without its body, and its font rules (unchanged fonts are the same strings: see font-css.ts). */
  #shell?: { text: string; fonts: string[] };
  /** How the documents were loaded: a body swapped in, or the whole document. */
  readonly loads = { swapped: 0, whole: 0 };

  /** The tab with `doc` loaded, and the outside requests it attempted. */
  async load(browser: Browser, doc: PrintDocument): Promise<{ page: Page; blocked: string[] }> {
    // A staged document's shell is compared without its fonts, whose rules are compared apart: no 1 MB string to scan and compare.
    const [text, fonts] = typeof doc === 'string' ? [doc, []] : [doc.fontless, await Promise.all(doc.fontRules)];
    if (this.#tab && (this.#tab.page.isClosed() || this.#tab.page.browser() !== browser)) this.#tab = undefined;
    this.#tab ??= await openPrintTab(browser);
    const { page, blocked } = this.#tab;
    blocked.urls = [];
    const parts = shellOf(text);
    const last = this.#shell;
    const swap = parts !== undefined && last !== undefined && parts.shell === last.text && fonts.length === last.fonts.length && fonts.every((rule, i) => rule === last.fonts[i]);
    this.#shell = undefined;
    try {
      if (swap) {
        await page.evaluate(async (body) => {
          document.body.innerHTML = body;
          await Promise.all([...document.images].map((image) => image.decode().catch(() => undefined)));
          await document.fonts.ready;
        }, parts.body);
      } else {
        await loadDocument(page, doc);
        // This tab only prints: the body is not laid out for the screen as well, after every swap and every print.
        await page.evaluate((css) => {
          const style = document.createElement('style');
          style.textContent = css;
          document.head.append(style);
        }, '@media screen { body { display: none !important; } }');
      }
    } catch (error) {
      // A tab in an unknown state is not used again.
      await this.close().catch(() => undefined);
      throw error;
    }
    this.#shell = parts && { text: parts.shell, fonts };
    this.loads[swap ? 'swapped' : 'whole'] += 1;
    return { page, blocked: blocked.urls };
  }

  async close(): Promise<void> {
    const tab = this.#tab;
    this.#tab = undefined;
    this.#shell = undefined;
    if (tab && !tab.page.isClosed()) await tab.page.close();
  }
}
