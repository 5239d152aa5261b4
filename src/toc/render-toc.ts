import type { Element } from 'hast';
import { h } from 'hastscript';
import type { FrontMatter } from '../config/front-matter-schema.ts';
import type { HeadingEntry } from '../markdown/vfile-data.ts';
import { tocPageClass } from './toc-numbers.ts';

/**
 * Heading levels the TOC lists: from h2 (the parts, whatever level the author
 * wrote them at: see remark-heading-levels; h1 is the letter's title) down
 * `depth` levels. Default: parts and their sub-headings.
 */
export function tocEntries(headings: HeadingEntry[], toc: FrontMatter['toc']): HeadingEntry[] {
  if (toc === false) return [];
  const depth = toc === true ? 2 : toc.depth;
  // An empty heading (`##` alone) has nothing to list; one repeating the title is printed above the TOC already.
  return headings.filter((h) => h.depth >= 2 && h.depth < 2 + depth && h.text !== '' && !h.repeatsTitle);
}

/** The PDF's bookmarks under the title: the TOC's entries (its default levels when the letter prints no TOC). */
export function outlineEntries(headings: HeadingEntry[], toc: FrontMatter['toc']): HeadingEntry[] {
  return tocEntries(headings, toc === false ? true : toc);
}

/** A TOC longer than this gets a page of its own. */
const longToc = 20;

/**
 * The table of contents under `title` (the house style's label): one link per heading with a dot leader and its page
 * number. `pages` holds the numbers learned from a previous layout; missing
 * ones print as a placeholder that the PDF stage replaces in place.
 */
export function renderToc(entries: HeadingEntry[], title: string, pages: ReadonlyMap<string, number> = new Map()): Element | undefined {
  if (entries.length === 0) return undefined;
  return h('nav', { className: entries.length > longToc ? ['toc', 'toc-long'] : ['toc'], ariaLabel: title }, [
    h('div.toc-title', title),
    h(
      'ol.toc-list',
      entries.map((entry) =>
        h('li', { className: ['toc-entry', `toc-level-${entry.depth}`] }, [
          h('a', { href: `#${entry.id}` }, [
            h('span.toc-text', entry.text),
            h('span.toc-leader', { ariaHidden: 'true' }),
            h('span', { className: [tocPageClass], dataTarget: entry.id }, String(pages.get(entry.id) ?? 0)),
          ]),
        ]),
      ),
    ),
  ]);
}
