import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/**
 * Letters are untrusted input: raw HTML is never passed through. Each raw
 * HTML node is reported at its position and left out of the output
 * (remark-rehype drops it; rehype-sanitize is the second line of defence).
 */
export function remarkNoRawHtml() {
  return (tree: Root, file: VFile): void => {
    visit(tree, 'html', (node) => {
      const snippet = node.value.length > 40 ? `${node.value.slice(0, 40)}…` : node.value;
      file.message(`raw HTML is not allowed in a letter and was left out: \`${snippet.replace(/\s+/g, ' ')}\``, {
        place: node.position,
        ruleId: 'no-raw-html',
        source: 'letterpress',
      });
    });
  };
}
