import type { Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { h } from 'hastscript';
import { visit } from 'unist-util-visit';

/**
 * Puts each line of a code block in its own `<span class="code-line">`, so
 * the stylesheet can wrap an over-long line with a hanging indent: the
 * continuation is visibly not a line of its own. (Math blocks are KaTeX's.)
 */
export function rehypeCodeLines() {
  return (tree: Root): void => {
    visit(tree, 'element', (node, _index, parent) => {
      if (node.tagName !== 'code' || parent?.type !== 'element' || parent.tagName !== 'pre') return;
      const className = node.properties.className;
      if (Array.isArray(className) && className.includes('language-math')) return;
      const lines = toString(node).replace(/\n$/, '').split('\n');
      node.children = lines.map((line) => h('span.code-line', line));
    });
  };
}
