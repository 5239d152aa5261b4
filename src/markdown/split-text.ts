import type { Text } from 'mdast';
import type { Point, Position } from 'unist';

/** The point `count` characters after `start` in `value` (which begins at `start`). */
function advance(start: Point, value: string, count: number): Point {
  let { line, column } = start;
  for (const c of value.slice(0, count)) {
    if (c === '\n') {
      line += 1;
      column = 1;
    } else column += c.length;
  }
  return { line, column, offset: start.offset === undefined ? undefined : start.offset + count };
}

/**
 * The characters `from`–`to` of a text node as a text node of their own, with
 * the position they have in the source (so a message about them, or about
 * their absence from the PDF, points at them). Exact for text without escapes,
 * which the dialects' markers are.
 */
export function sliceText(node: Text, from: number, to = node.value.length): Text {
  const value = node.value.slice(from, to);
  const start = node.position?.start;
  const position: Position | undefined = start && { start: advance(start, node.value, from), end: advance(start, node.value, to) };
  return position ? { type: 'text', value, position } : { type: 'text', value };
}
