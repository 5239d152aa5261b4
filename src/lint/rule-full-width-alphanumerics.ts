import type { Rule } from './finding.ts';
import { segmentMatches } from './segment-matches.ts';

const pattern = /[０-９Ａ-Ｚａ-ｚ]+/gu;

/** Full-width digits and Latin letters (an input method left in full-width mode); the fonts' own Latin is meant. */
export const fullWidthAlphanumerics: Rule = (blocks) =>
  segmentMatches(blocks, pattern, (match) => {
    // The full-width forms sit exactly 0xFEE0 above their ASCII letters and digits.
    const halfWidth = String.fromCodePoint(...[...match[0]].map((c) => (c.codePointAt(0) ?? 0) - 0xfee0));
    return {
      ruleId: 'full-width-alphanumeric',
      severity: 'warning',
      reason: `full-width \`${match[0]}\`; use \`${halfWidth}\``,
      expected: halfWidth,
      safe: true,
    };
  });
