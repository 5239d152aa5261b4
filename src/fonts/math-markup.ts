import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { withoutMarkup } from './element-text.ts';

const require = createRequire(import.meta.url);

let css: string | undefined;

/** Whether the document holds formulas typeset by KaTeX. */
export function hasMath(html: string): boolean {
  return html.includes('<span class="katex">');
}

/**
 * KaTeX's stylesheet, for a letter with formulas: its layout rules without its
 * `@font-face` rules, whose URLs point at files (the document may load
 * nothing); font-css.ts inlines subsets of the same faces instead.
 */
export function mathCss(html: string): string {
  if (!hasMath(html)) return '';
  css ??= readFileSync(require.resolve('katex/dist/katex.min.css'), 'utf8').replace(/@font-face\s*{[^}]*}/g, '');
  return css;
}

const opening = '<span class="katex-html"';

/**
 * The characters KaTeX draws with its own faces: the text of its `katex-html`
 * boxes (spans only, so their end is found by counting spans). Its faces are
 * cut to these, not to the whole letter.
 */
export function mathText(html: string): string {
  let text = '';
  for (let at = html.indexOf(opening); at !== -1; at = html.indexOf(opening, at)) {
    let depth = 0;
    const tags = /<(\/?)span\b[^>]*>/g;
    tags.lastIndex = at;
    let from = at;
    for (let tag = tags.exec(html); tag; tag = tags.exec(html)) {
      if (depth > 0) text += html.slice(from, tag.index);
      depth += tag[1] ? -1 : 1;
      from = tag.index + tag[0].length;
      if (depth === 0) break;
    }
    at = from;
  }
  // Markup inside (the svg of roots and arrows) is not text.
  return withoutMarkup(text);
}
