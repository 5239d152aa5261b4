import type { Element, ElementContent, Root } from 'hast';
import { SKIP, visit } from 'unist-util-visit';

/** Punctuation that may not begin a line (clreq): it stays with what it follows. */
const closing = /^[，。、；：？！）》」』”’…—%]+/;

/**
 * A formula is one box to Chromium's line breaker, which then breaks freely
 * after it: `$g$，则…` could put the comma at the start of the next line. The
 * formula and the closing punctuation right after it are kept together.
 */
export function rehypeMathPunctuation() {
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element): typeof SKIP | undefined => {
      if (hasClass(node, 'math-nobreak')) return SKIP;
      const children = node.children;
      for (let i = 0; i < children.length - 1; i++) {
        const formula = children[i];
        const next = children[i + 1];
        if (formula?.type !== 'element' || !isFormula(formula) || next?.type !== 'text') continue;
        const punctuation = closing.exec(next.value)?.[0];
        if (!punctuation) continue;
        const kept: ElementContent = { type: 'element', tagName: 'span', properties: { className: ['math-nobreak'] }, children: [formula, { type: 'text', value: punctuation }] };
        next.value = next.value.slice(punctuation.length);
        children.splice(i, next.value === '' ? 2 : 1, kept);
      }
      return undefined;
    });
  };
}

function isFormula(node: Element): boolean {
  return hasClass(node, 'katex');
}

function hasClass(node: Element, name: string): boolean {
  const className = node.properties.className;
  return Array.isArray(className) && className.includes(name);
}
