import type { Root, Text } from 'mdast';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/**
 * `$$…$$` written on a line of its own is displayed (centred on a line of
 * its own), as in TeX and Pandoc; inside a line of text it is set in the text.
 *
 * Letters are full of prices: in `$100 and $200`, remark-math sees a formula
 * between the dollar signs. As in Pandoc, a `$…$` formula starts with no space
 * after the opening dollar, ends with none before the closing one, and is not
 * followed by a digit; anything else is put back as the text it was.
 */
export function remarkMathDollars() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value);
    visit(tree, 'inlineMath', (node, index, parent) => {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (!parent || index === undefined || start === undefined || end === undefined) return;
      const raw = source.slice(start, end);
      if (raw.startsWith('$$')) {
        // `$$…$$` alone in its paragraph is a displayed formula, as in TeX and Pandoc; remark-math would set it in the text.
        // Inside a line of text (GitBook writes inline formulas so), in a heading, a table cell or a link, it stays in the line.
        const alone = parent.children.every((child) => child === node || (child.type === 'text' && child.value.trim() === ''));
        if (parent.type === 'paragraph' && alone) node.data = { ...node.data, hProperties: { className: ['language-math', 'math-display'] } };
        return;
      }
      if (!raw.startsWith('$')) return;
      const looksLikeMath = !/^\s|\s$/.test(node.value) && node.value !== '' && !/^\d/.test(source.slice(end, end + 1));
      if (looksLikeMath) return;
      const text: Text = { type: 'text', value: raw, position: node.position };
      parent.children.splice(index, 1, text);
      return [SKIP, index + 1];
    });
  };
}
