import type { Break, Root } from 'mdast';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/** `<br>`, `<br/>`, `<br />` and the `</br>` authors also write: the usual way to break a line inside a GFM table cell. */
const lineBreak = /^<\/?br\s*\/?>$/i;

/**
 * Letters are untrusted input: raw HTML is never passed through. A line
 * break tag is the one exception and becomes a Markdown hard break (a `<br>`
 * the pipeline makes itself); every other raw HTML node is reported at its
 * position and left out of the output (remark-rehype drops it;
 * rehype-sanitize is the second line of defence).
 */
export function remarkNoRawHtml() {
  return (tree: Root, file: VFile): void => {
    visit(tree, 'html', (node, index, parent) => {
      if (lineBreak.test(node.value.trim()) && parent && index !== undefined) {
        // Between blocks a break means nothing: it is dropped; inside text (a cell, a paragraph) it breaks the line.
        if (parent.type === 'root' || parent.type === 'blockquote' || parent.type === 'listItem') parent.children.splice(index, 1);
        else parent.children.splice(index, 1, { type: 'break', position: node.position } satisfies Break);
        return [SKIP, index];
      }
      const snippet = node.value.length > 40 ? `${node.value.slice(0, 40)}…` : node.value;
      file.message(`raw HTML is not allowed in a letter and was left out: \`${snippet.replace(/\s+/g, ' ')}\``, {
        place: node.position,
        ruleId: 'no-raw-html',
        source: 'letterpress',
      });
    });
  };
}
