import type { Root } from 'mdast';
import type { Finding, Rule } from './finding.ts';
import { fullWidthAlphanumerics } from './rule-full-width-alphanumerics.ts';
import { halfWidthPunctuation } from './rule-half-width-punctuation.ts';
import { hanLatinSpacing } from './rule-han-latin-spacing.ts';
import { repeatedPunctuation } from './rule-repeated-punctuation.ts';
import { spaceBeforePunctuation } from './rule-space-before-punctuation.ts';
import { straightQuotes } from './rule-straight-quotes.ts';
import { unbalancedPairs } from './rule-unbalanced-pairs.ts';
import { textBlocks } from './text-blocks.ts';

const rules: Rule[] = [halfWidthPunctuation, straightQuotes, unbalancedPairs, spaceBeforePunctuation, fullWidthAlphanumerics, repeatedPunctuation, hanLatinSpacing];

/** Every finding of every rule in a parsed letter, in source order. */
export function findProblems(tree: Root, source: string): Finding[] {
  const blocks = textBlocks(tree, source);
  return rules.flatMap((rule) => rule(blocks)).sort((a, b) => a.start - b.start || a.end - b.end);
}
