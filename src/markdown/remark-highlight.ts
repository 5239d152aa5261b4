import type { Emphasis, Parent, PhrasingContent, Root, Text } from 'mdast';
import { visit } from 'unist-util-visit';
import { sliceText } from './split-text.ts';

/**
 * `==highlight==` (Obsidian, Typora, GitBook) becomes `<mark>`, printed as a
 * highlight. The two marks may enclose other inline markup
 * (`==**粗体**==`) as long as both stand in the same paragraph, cell or
 * heading; a lone `==` stays text.
 */
export function remarkHighlight() {
  return (tree: Root): void => {
    visit(tree, (node) => {
      if (!('children' in node) || !(node.children as { type: string }[]).some((c) => c.type === 'text' && (c as Text).value.includes('=='))) return;
      const parent = node as Parent;
      parent.children = highlight(parent.children as PhrasingContent[]);
    });
  };
}

function mark(children: PhrasingContent[]): Emphasis {
  return { type: 'emphasis', children, data: { hName: 'mark' } };
}

/** The children with each pair of `==` around inline content made a mark (the opening one followed, the closing one preceded, by a non-space). */
function highlight(children: PhrasingContent[]): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let pending = [...children];
  while (pending.length > 0) {
    const node = pending.shift() as PhrasingContent;
    const open = node.type === 'text' ? opening(node.value, pending.length > 0) : -1;
    if (node.type !== 'text' || open === -1) {
      out.push(node);
      continue;
    }
    const same = closing(node.value, open + 2);
    if (same !== -1) {
      if (open > 0) out.push(sliceText(node, 0, open));
      out.push(mark([sliceText(node, open + 2, same)]));
      pending = [sliceText(node, same + 2), ...pending].filter((n) => n.type !== 'text' || n.value !== '');
      continue;
    }
    const end = pending.findIndex((n) => n.type === 'text' && closing(n.value, 0) !== -1);
    if (end === -1) {
      out.push(node);
      continue;
    }
    const last = pending[end] as Text;
    const at = closing(last.value, 0);
    if (open > 0) out.push(sliceText(node, 0, open));
    const inner = [sliceText(node, open + 2), ...pending.slice(0, end), sliceText(last, 0, at)].filter((n) => n.type !== 'text' || n.value !== '');
    out.push(mark(inner));
    pending = [sliceText(last, at + 2), ...pending.slice(end + 1)].filter((n) => n.type !== 'text' || n.value !== '');
  }
  return out;
}

/** Where a `==` that can open a highlight is: not part of a longer run of `=`, followed by a non-space (or, at the end, by the next inline node). */
function opening(value: string, followed: boolean): number {
  for (let i = value.indexOf('=='); i !== -1; i = value.indexOf('==', i + 1)) {
    const after = value[i + 2];
    if (value[i - 1] !== '=' && after !== '=' && (after === undefined ? followed : !/\s/.test(after))) return i;
  }
  return -1;
}

/** Where a `==` that can close a highlight is, from `from`: not part of a longer run, preceded by a non-space. */
function closing(value: string, from: number): number {
  for (let i = value.indexOf('==', from); i !== -1; i = value.indexOf('==', i + 1)) {
    const before = i > 0 ? value[i - 1] : from === 0 ? 'x' : undefined;
    if (value[i - 1] !== '=' && value[i + 2] !== '=' && before !== undefined && !/\s/.test(before)) return i;
  }
  return -1;
}
