import { han } from './characters.ts';
import type { Rule } from './finding.ts';
import { segmentMatches, type FindingFields } from './segment-matches.ts';

/** A Chinese character and a Latin letter or digit side by side, with or without one space between. */
const boundary = new RegExp(`(?<=${han})( ?)(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])( ?)(?=${han})`, 'gu');

/**
 * The stylesheet's `text-autospace` sets Han and Latin apart, so a letter reads
 * the same with or without a typed space and the house style wants neither.
 * What a reviewer does notice is a source that mixes both: the less frequent
 * style is reported (a tie reports the unspaced ones), never fixed automatically.
 */
export const hanLatinSpacing: Rule = (blocks) => {
  const all = segmentMatches(blocks, boundary, (match): FindingFields => {
    const spaced = match[0] === ' ';
    return {
      ruleId: 'han-latin-spacing',
      severity: 'warning',
      reason: spaced ? 'space between Chinese and Latin, where this letter mostly has none' : 'no space between Chinese and Latin, where this letter mostly has one',
      expected: spaced ? '' : ' ',
      safe: false,
      note: 'text-autospace spaces them in print either way; keep one style in the source',
    };
  });
  const spaced = all.filter((f) => f.actual === ' ');
  const unspaced = all.filter((f) => f.actual === '');
  if (spaced.length === 0 || unspaced.length === 0) return [];
  return spaced.length < unspaced.length ? spaced : unspaced;
};
