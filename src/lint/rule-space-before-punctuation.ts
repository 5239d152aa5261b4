import { closingOrPausePunctuation } from './characters.ts';
import type { Rule } from './finding.ts';
import { segmentMatches } from './segment-matches.ts';

/**
 * Spaces (also the ideographic one) after text and before Chinese punctuation. A space
 * that starts a text run follows code or a URL, where it is what ends the URL: it stays.
 */
const pattern = new RegExp(`(?<=[^\\s\\u3000])[ \\t\\u3000]+(?=[${closingOrPausePunctuation}])`, 'gu');

export const spaceBeforePunctuation: Rule = (blocks) =>
  segmentMatches(blocks, pattern, (match, segment) => {
    const mark = segment.text[match.index + match[0].length];
    return {
      ruleId: 'space-before-punctuation',
      severity: 'warning',
      reason: `space before \`${mark}\`; Chinese punctuation carries its own space`,
      expected: '',
      safe: true,
    };
  });
