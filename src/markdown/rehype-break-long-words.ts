import type { ElementContent, Root, Text } from 'hast';
import { SKIP, visit } from 'unist-util-visit';

/** A run of 25+ non-space, non-Han characters: a URL, a path, a very long word. */
const longRun = /[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]{25,}/gu;
/** A run of figures (amounts, share counts, ranges of them): a number never breaks inside. */
export const figureRun = /^[\d,.%‰$¥€£+\-−–()/]+$/u;

/**
 * Wraps very long Latin runs in `<span class="long-word">`, which the
 * stylesheet lets break anywhere (never a run of figures). Otherwise such a run moves whole to the
 * next line and leaves the justified line before it full of wide gaps
 * (Chromium has no hyphenation dictionaries offline).
 */
export function rehypeBreakLongWords() {
  return (tree: Root): void => {
    visit(tree, 'text', (node: Text, index, parent) => {
      if (!parent || index === undefined || !longRun.test(node.value)) return;
      longRun.lastIndex = 0;
      const parts: ElementContent[] = [];
      let last = 0;
      for (const match of node.value.matchAll(longRun)) {
        if (figureRun.test(match[0])) continue;
        if (match.index > last) parts.push({ type: 'text', value: node.value.slice(last, match.index) });
        parts.push({ type: 'element', tagName: 'span', properties: { className: ['long-word'] }, children: [{ type: 'text', value: match[0] }] });
        last = match.index + match[0].length;
      }
      if (last === 0) return;
      if (last < node.value.length) parts.push({ type: 'text', value: node.value.slice(last) });
      parent.children.splice(index, 1, ...parts);
      return [SKIP, index + parts.length];
    });
  };
}
