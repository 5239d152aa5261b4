import type { Root } from 'mdast';
import type { Math } from 'mdast-util-math';
import { visit } from 'unist-util-visit';

/** The fence languages editors write a displayed formula as (GitHub: `math`; Typora, GitBook, Notion: `latex`, `tex`). */
const formulaLanguages = new Set(['math', 'latex', 'tex', 'katex']);

/** A code block fenced as ```` ```math ````, ```` ```latex ```` or ```` ```tex ```` is a displayed formula, not TeX source to print. */
export function remarkMathFences() {
  return (tree: Root): void => {
    visit(tree, 'code', (node, index, parent) => {
      if (!parent || index === undefined || !formulaLanguages.has((node.lang ?? '').toLowerCase())) return;
      // As remark-math makes a `$$` block: the formula rides in the hast it becomes (mdast-util-math's data).
      const code = { type: 'element' as const, tagName: 'code', properties: { className: ['language-math', 'math-display'] }, children: [{ type: 'text' as const, value: node.value }] };
      const formula: Math = { type: 'math', value: node.value, meta: null, position: node.position, data: { hName: 'pre', hChildren: [code] } };
      parent.children.splice(index, 1, formula);
    });
  };
}
