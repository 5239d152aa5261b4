import type { Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';

const han = /\p{Script=Han}/u;

/** Marks `<em>` holding no Han character as `latin`: the stylesheet gives Chinese emphasis dots (着重号) and Latin emphasis italics. */
export function rehypeLatinEmphasis() {
  return (tree: Root): void => {
    visit(tree, 'element', (node) => {
      if (node.tagName === 'em' && !han.test(toString(node))) node.properties.className = ['latin'];
    });
  };
}
