import type { Element, ElementContent, Root, Text } from 'hast';
import { toString } from 'hast-util-to-string';
import { SKIP, visitParents } from 'unist-util-visit-parents';

/**
 * From a Latin letter or digit to a Latin letter or digit, over spaces, ASCII
 * punctuation and the marks English shares with Chinese (quotes, apostrophes,
 * dashes, ellipsis): `Berkshire’s “GAAP” earnings fell 9`. Han and full-width
 * punctuation end it.
 */
const core = /[\p{Script=Latin}0-9](?:[\p{Script=Latin}0-9 \t\u00a0!-/:-@[-`{-~\u2013\u2014\u2018-\u201f\u2026]*[\p{Script=Latin}0-9])?/gu;
const latinLetter = /\p{Script=Latin}/u;
/** Opening marks a run may start with, closing ones it may end with. */
const openers = new Set(['“', '‘', '(', '[', '"', "'"]);
const closers = new Set(['”', '’', '.', ',', ';', ':', '!', '?', '%', ')', ']', '"', "'", '…']);
const quotes = new Set(['“', '‘', '”', '’']);
/** The marks whose glyph differs between Chinese and English (the Latin companion faces' unicode-range). */
const marks = /[\u2013\u2014\u2018-\u201f\u2026]/u;
/** Han, kana, hangul, CJK and full-width punctuation: a quote mark beside one of them belongs to the Chinese text. */
const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

/** Elements whose text is not prose: code keeps its own face, math is KaTeX's. */
const skipped = new Set(['code', 'pre', 'kbd', 'samp', 'script', 'style', 'svg', 'math']);
/** Blocks: the text around a run is looked for within one of them only. */
const blocks = new Set(['p', 'li', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'dd', 'dt', 'figcaption', 'caption']);

/**
 * Wraps runs of English (Latin words with the quotes, apostrophes and
 * punctuation between them) in `<span lang="en">`. The stylesheet sets them
 * with the Latin companion face first, so `’ “ ”` inside English are
 * proportional Latin marks while beside Chinese they stay full-width (clreq),
 * and in emphasis gives them italics instead of 着重号. A quote mark goes with
 * the run when its outer neighbour is not CJK; a pair of quotes around a run
 * goes together or not at all. Only runs that hold such a mark, or are
 * emphasised, are wrapped: a span of another face changes the line's metrics
 * and justification, which plain Latin words need not risk.
 */
export function rehypeLatinRuns() {
  return (tree: Root): void => {
    visitParents(tree, (node, ancestors) => {
      if (node.type === 'element' && skipped.has(node.tagName)) return SKIP;
      if (node.type !== 'text') return undefined;
      const parent = ancestors.at(-1);
      if (!parent || !('children' in parent) || (parent.type === 'element' && parent.properties.lang === 'en')) return undefined;
      const emphasised = ancestors.some((a) => a.type === 'element' && a.tagName === 'em');
      if (!emphasised && !marks.test(node.value)) return undefined;
      const parts = splitRuns(node, () => charBefore(node, ancestors), () => charAfter(node, ancestors), emphasised);
      if (!parts) return undefined;
      const index = parent.children.indexOf(node as never);
      (parent.children as ElementContent[]).splice(index, 1, ...parts);
      return [SKIP, index + parts.length];
    });
  };
}

/** `before` and `after` give the characters around the text node, looked up only when a run reaches its edge. */
function splitRuns(node: Text, before: () => string | undefined, after: () => string | undefined, emphasised: boolean): ElementContent[] | undefined {
  const text = node.value;
  const runs: [number, number][] = [];
  for (const match of text.matchAll(core)) {
    if (!latinLetter.test(match[0])) continue;
    let start = match.index;
    let end = start + match[0].length;
    let left = start;
    while (left > 0 && openers.has(text[left - 1] ?? '')) left--;
    let right = end;
    while (right < text.length && closers.has(text[right] ?? '')) right++;
    const leftOk = !isCjk(left > 0 ? text[left - 1] : before());
    const rightOk = !isCjk(right < text.length ? text[right] : after());
    const leftQuote = [...text.slice(left, start)].some((c) => quotes.has(c));
    const rightQuote = [...text.slice(end, right)].some((c) => quotes.has(c));
    const pairOk = leftQuote && rightQuote ? leftOk && rightOk : true;
    if (leftOk && pairOk) start = left;
    if (rightOk && pairOk) end = right;
    if (emphasised || marks.test(text.slice(start, end))) runs.push([start, end]);
  }
  if (runs.length === 0) return undefined;
  const parts: ElementContent[] = [];
  let last = 0;
  for (const [start, end] of runs) {
    if (start > last) parts.push({ type: 'text', value: text.slice(last, start) });
    parts.push({ type: 'element', tagName: 'span', properties: { lang: 'en' }, children: [{ type: 'text', value: text.slice(start, end) }] });
    last = end;
  }
  if (last < text.length) parts.push({ type: 'text', value: text.slice(last) });
  return parts;
}

function isCjk(char: string | undefined): boolean {
  return char !== undefined && cjk.test(char);
}

type Parent = Root | Element;

/** The last character before `node` inside its block, if any. */
function charBefore(node: Text, ancestors: Parent[]): string | undefined {
  return neighbour(node, ancestors, -1);
}

/** The first character after `node` inside its block, if any. */
function charAfter(node: Text, ancestors: Parent[]): string | undefined {
  return neighbour(node, ancestors, 1);
}

function neighbour(node: Text, ancestors: Parent[], step: 1 | -1): string | undefined {
  let child: Root['children'][number] | ElementContent = node;
  for (let level = ancestors.length - 1; level >= 0; level--) {
    const parent = ancestors[level];
    if (!parent) return undefined;
    const siblings = parent.children as (typeof child)[];
    for (let i = siblings.indexOf(child) + step; i >= 0 && i < siblings.length; i += step) {
      const text = toString(siblings[i] as never);
      if (text) return step === 1 ? text[0] : text.at(-1);
    }
    if (parent.type !== 'element' || blocks.has(parent.tagName)) return undefined;
    child = parent;
  }
  return undefined;
}
