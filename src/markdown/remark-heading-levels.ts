import type { Heading, Root } from 'mdast';
import { visit } from 'unist-util-visit';

/**
 * Authors write their parts as `#`, `##` or `###`: the body's highest heading
 * level present becomes the parts (`<h2>`, below the letter title's `<h1>`)
 * and the levels under it follow in order, so the TOC, the bookmarks and the
 * styles see the same structure whatever level the author started at.
 */
export function remarkHeadingLevels() {
  return (tree: Root): void => {
    const headings: Heading[] = [];
    visit(tree, 'heading', (node) => {
      headings.push(node);
    });
    if (headings.length === 0) return;
    const top = Math.min(...headings.map((h) => h.depth));
    for (const heading of headings) heading.depth = Math.min(6, heading.depth - top + 2) as Heading['depth'];
  };
}
