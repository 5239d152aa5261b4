import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/**
 * A footnote that nothing refers to is not printed (GFM prints only the
 * footnotes the text calls): its words would be lost without a word. Each is
 * an error at its definition.
 */
export function remarkFootnoteReferences() {
  return (tree: Root, file: VFile): void => {
    const referenced = new Set<string>();
    visit(tree, 'footnoteReference', (node) => {
      referenced.add(node.identifier);
    });
    visit(tree, 'footnoteDefinition', (node) => {
      if (referenced.has(node.identifier)) return;
      const message = file.message(`footnote \`[^${node.label ?? node.identifier}]\` is never referred to, so it would not be printed: refer to it with \`[^${node.label ?? node.identifier}]\` in the text, or remove it`, {
        place: node.position,
        ruleId: 'footnote-unreferenced',
        source: 'letterpress',
      });
      message.fatal = true;
    });
  };
}
