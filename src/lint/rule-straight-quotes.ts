import { hanPattern, isHan } from './characters.ts';
import type { Rule } from './finding.ts';
import { segmentMatches } from './segment-matches.ts';

/** A pair of straight double quotes on one line. */
const doublePattern = /"([^"\n]*)"/gu;
/** A pair of straight single quotes that are not apostrophes (no Latin letter or digit outside them). */
const singlePattern = /(?<![A-Za-z0-9])'([^'\n]*)'(?![A-Za-z0-9])/gu;

/** Straight quotes around or beside Chinese print as typewriter marks; Chinese text takes curly quotes. */
export const straightQuotes: Rule = (blocks) =>
  [
    { pattern: doublePattern, open: '“', close: '”' },
    { pattern: singlePattern, open: '‘', close: '’' },
  ].flatMap(({ pattern, open, close }) =>
    segmentMatches(blocks, pattern, (match, segment) => {
      const inner = match[1] ?? '';
      const end = match.index + match[0].length;
      const chinese = hanPattern.test(inner) || isHan(segment.text[match.index - 1]) || isHan(segment.text[end]);
      if (!chinese) return undefined;
      return {
        ruleId: 'straight-quotes',
        severity: 'error',
        reason: `straight quotes in Chinese text; use \`${open}${close}\``,
        expected: `${open}${inner}${close}`,
        safe: true,
      };
    }),
  );
