import type { Heading, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/**
 * Authors write their parts as `#`, `##` or `###`: the body's highest heading
 * level present becomes the parts (`<h2>`, below the letter title's `<h1>`)
 * and the levels under it follow in order, so the TOC, the bookmarks and the
 * styles see the same structure whatever level the author started at.
 * Headings become the PDF's H1–H6 tags by rank, and a reader navigating by
 * headings loses its way where a level is skipped (PDF/UA-1 7.4.2): a warning
 * at a heading more than one level below the one before it.
 */
export function remarkHeadingLevels() {
  return (tree: Root, file: VFile): void => {
    const headings: Heading[] = [];
    const title = file.data.titleHeading;
    let repeatedTitle: Heading | undefined;
    visit(tree, 'heading', (node) => {
      // The opening heading that repeats the title (remark-title-heading.ts) is not a part: it is set at the parts' level.
      if (title && node.position?.start.line === title.line && node.position.start.column === title.column) repeatedTitle = node;
      else headings.push(node);
    });
    if (repeatedTitle) repeatedTitle.depth = 2;
    if (headings.length === 0) return;
    const top = Math.min(...headings.map((h) => h.depth));
    let previous = top - 1;
    for (const heading of headings) {
      if (heading.depth > previous + 1) {
        file.message(`heading level ${heading.depth} follows level ${previous}: use ${'#'.repeat(previous + 1)} so no level is skipped`, {
          place: heading.position,
          ruleId: 'heading-level',
          source: 'letterpress',
        });
      }
      previous = heading.depth;
    }
    for (const heading of headings) heading.depth = Math.min(6, heading.depth - top + 2) as Heading['depth'];
  };
}
