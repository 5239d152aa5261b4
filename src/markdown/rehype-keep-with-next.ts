import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';

/** What a lead-in ending in a colon introduces; a paragraph right before a table always introduces it. */
const introduced = new Set(['table', 'ol', 'ul', 'pre', 'blockquote']);
/** A lead-in ends with a colon, full-width or not (after any closing quote or bracket). */
const leadIn = /[：:][\s”’）)」』]*$/u;

/** A paragraph that holds an image and nothing else. */
function isFigure(node: Element): boolean {
  const content = node.children.filter((child) => child.type !== 'text' || child.value.trim() !== '');
  return node.tagName === 'p' && content.length === 1 && content[0]?.type === 'element' && content[0].tagName === 'img';
}

/**
 * Marks a paragraph that introduces the table, list, image, code or quotation after
 * it (one ending in a colon, "……如下：", or any paragraph right before a
 * table, "下表列出……。") `keep-with-next`, which the stylesheet keeps on the page
 * of what it introduces: it is never left alone at the foot of a page.
 */
export function rehypeKeepWithNext() {
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'p' || index === undefined || !parent) return;
      const next = parent.children.slice(index + 1).find((child) => child.type === 'element' || (child.type === 'text' && child.value.trim() !== ''));
      if (next?.type !== 'element' || !(introduced.has(next.tagName) || isFigure(next))) return;
      if (next.tagName !== 'table' && !leadIn.test(toString(node))) return;
      const classes = Array.isArray(node.properties.className) ? node.properties.className : [];
      node.properties.className = [...classes, 'keep-with-next'];
    });
  };
}
