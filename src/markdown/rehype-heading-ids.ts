import type { Root } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toString } from 'hast-util-to-string';
import { slug } from 'github-slugger';
import { visit } from 'unist-util-visit';

/** Ids the pipeline generates itself (GFM footnotes: `fn-<label>`, `fnref-<label>[-n]`, `footnote-label`): a heading never takes one. */
const generated = /^(fn-|fnref-|footnote-label$)/;

/**
 * Gives every heading a readable id that is unique in the document: its
 * GitHub-style slug (`i-闭源模型`), `-1`, `-2`… for repeats, `section-<n>`
 * (n-th heading) when the text has nothing to slug (`## ***`), and never an id
 * that something else in the document has or that footnotes generate, so TOC,
 * bookmark and footnote links always reach their own target.
 */
export function rehypeHeadingIds() {
  return (tree: Root): void => {
    const taken = new Set<string>();
    const headings: { properties: Record<string, unknown>; text: string }[] = [];
    visit(tree, 'element', (node) => {
      if (headingRank(node) !== undefined && node.properties.id === undefined) headings.push({ properties: node.properties, text: toString(node) });
      else if (typeof node.properties.id === 'string') taken.add(node.properties.id);
    });
    headings.forEach((heading, i) => {
      let base = slug(heading.text);
      if (!/[\p{L}\p{N}]/u.test(base)) base = `section-${i + 1}`;
      else if (generated.test(base)) base = `section-${base}`;
      let id = base;
      for (let n = 1; taken.has(id); n++) id = `${base}-${n}`;
      taken.add(id);
      heading.properties.id = id;
    });
  };
}
