import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import hyphen from 'hyphen/en-us';
import { SKIP, visitParents } from 'unist-util-visit-parents';
import type { VFile } from 'vfile';

/** Where prose is set justified: the only places a word may be hyphenated. */
const prose = new Set(['p', 'li', 'blockquote', 'dd', 'figcaption']);
/** Never hyphenated: headings, tables (a cell breaks only between words), code, formulas, links (URLs), marked long runs. */
const kept = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'code', 'pre', 'kbd', 'samp', 'math', 'svg', 'a', 'sup']);
/** A token between spaces that holds a digit or a character of addresses and names in code is left whole: `GPT-4`, `2024Q3`, `example.com/x`, `snake_case`. */
const technical = /[\d/@_\\:=#&<>|~*]|\.\w/u;
/** A word hyphenation may break: lower-case letters, or a capital then lower-case (no acronym, no CamelCase name). */
const plainWord = /^[A-Z]?[a-z]+$/u;
const word = /[A-Za-z]+/gu;
const softHyphen = '\u00ad';

/** A word with its soft hyphens, none leaving fewer than two letters before it or three after it (TeX's English minima). */
function hyphenate(w: string): string {
  if (!plainWord.test(w)) return w;
  const parts = hyphen.hyphenateSync(w, { minWordLength: 6 }).split(softHyphen);
  let out = '';
  let at = 0;
  for (const [i, part] of parts.entries()) {
    if (i > 0 && at >= 2 && w.length - at >= 3) out += softHyphen;
    out += part;
    at += part.length;
  }
  return out;
}

/** The nearest ancestor that says its language. */
function langHolder(ancestors: readonly unknown[]): Element | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i] as Element;
    if (node.type === 'element' && typeof node.properties.lang === 'string') return node;
  }
  return undefined;
}

/** An English run inside another language is hyphenated when it is prose (a phrase of this many words), not a name or a term. */
const proseWords = 4;

/**
 * Soft hyphens (U+00AD) in the English words of justified prose, from the
 * patterns of the `hyphen` package (TeX's en-US patterns): Chromium has no
 * hyphenation dictionaries offline, and with them an English line need not
 * open wide gaps around a long word that does not fit. English is the text
 * of a letter whose language is English or of a `lang="en"` run
 * (rehype-latin-runs) of four words or more: a name or a term inside Chinese
 * text stays whole. Words with digits, addresses, code, acronyms and
 * CamelCase names are never broken, nor headings, tables or links.
 */
export function rehypeHyphenateEnglish() {
  return (tree: Root, file: VFile): void => {
    const letterLang = file.data.frontMatter?.lang ?? 'zh-CN';
    visitParents(tree, (node, ancestors) => {
      if (node.type === 'element' && (kept.has(node.tagName) || (node.properties.className as string[] | undefined)?.includes('long-word'))) return SKIP;
      if (node.type !== 'text') return undefined;
      if (!ancestors.some((a) => a.type === 'element' && prose.has(a.tagName))) return undefined;
      const holder = langHolder(ancestors);
      const lang = holder ? String(holder.properties.lang) : letterLang;
      if (!/^en\b/i.test(lang)) return undefined;
      if (holder && !/^en\b/i.test(letterLang) && toString(holder).split(/\s+/u).filter((w) => /[A-Za-z]/.test(w)).length < proseWords) return undefined;
      node.value = node.value
        .split(/(\s+)/u)
        .map((token) => (technical.test(token) ? token : token.replace(word, hyphenate)))
        .join('');
      return undefined;
    });
  };
}
