import type { Element, Root } from 'hast';
import { visitParents } from 'unist-util-visit-parents';
import type { VFile } from 'vfile';
import type { SourceText } from './vfile-data.ts';

/** A formula's TeX: KaTeX sets it as glyphs of its own, not as these characters. */
const isFormula = (node: Element): boolean => {
  const className = node.properties.className;
  return Array.isArray(className) && className.includes('language-math');
};

/**
 * Records every piece of the letter's text a reader will see, with its place
 * in the source (`file.data.visibleText`), as the HTML stands once parsed and
 * checked and before anything may leave it out: the build then finds each in
 * the printed PDF's text (postprocess/check-text.ts). Text the pipeline makes
 * itself (numbers, default titles) has no place and is not listed; nor is a
 * formula's TeX.
 */
export function rehypeVisibleText() {
  return (tree: Root, file: VFile): void => {
    const texts: SourceText[] = [];
    visitParents(tree, 'text', (node, ancestors) => {
      const start = node.position?.start;
      if (!start || node.value.trim() === '') return;
      if (ancestors.some((a) => a.type === 'element' && isFormula(a))) return;
      texts.push({ value: node.value, line: start.line, column: start.column });
    });
    file.data.visibleText = texts;
  };
}
