import type { Root, RootContent } from 'mdast';
import type { VFile } from 'vfile';

/** A YAML `key: value` line as Jekyll, Hugo or Obsidian front matter holds it. */
const keyLine = /^[A-Za-z_][\w.-]*:(?:\s|$)/;

/**
 * Warns when our front matter sits above a document's own (pasted from Jekyll
 * or Obsidian): a second `---` block right after it, or a run of `key: value`
 * lines, would be printed as a heading or paragraph of the letter.
 */
export function remarkPastedFrontMatter() {
  return (tree: Root, file: VFile): void => {
    const [first, second, third] = tree.children;
    if (first?.type !== 'yaml' || !second) return;
    const source = String(file.value);
    const firstLine = (node: RootContent): string => source.slice(node.position?.start.offset ?? 0).split('\n', 1)[0] ?? '';
    const warn = (node: RootContent, reason: string): void => {
      file.message(reason, { place: node.position?.start, ruleId: 'front-matter-pasted', source: 'letterpress' });
    };
    if (second.type === 'thematicBreak' && third && keyLine.test(firstLine(third))) {
      warn(second, 'a second front-matter block starts here and would be printed as text: move its keys into the first block (letterpress keys only) or delete it');
    } else if (isKeyValueRun(second, source)) {
      warn(second, '`key: value` lines right after the front matter would be printed as text: move them into the front matter or delete them');
    }
  };
}

/** A paragraph or setext heading made only of `key: value` lines (and their indented or `- ` continuations). */
function isKeyValueRun(node: RootContent, source: string): boolean {
  if ((node.type !== 'paragraph' && node.type !== 'heading') || !node.position) return false;
  const lines = source.slice(node.position.start.offset, node.position.end.offset).split('\n');
  if (node.type === 'heading') {
    // Only a setext heading (text underlined by `---` or `===`) can be a pasted block.
    if (!/^[-=]+\s*$/.test(lines.at(-1) ?? '')) return false;
    lines.pop();
  }
  return keyLine.test(lines[0] ?? '') && lines.every((line) => keyLine.test(line) || /^\s+\S|^\s*- /.test(line));
}
