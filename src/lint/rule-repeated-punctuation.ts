import type { Rule } from './finding.ts';
import { segmentMatches } from './segment-matches.ts';

const pattern = /([，。、；：？！])\1+/gu;
/** Doubled pauses and stops are always slips; doubled `？` or `！` may be the author's emphasis. */
const slips = new Set(['，', '。', '、', '；', '：']);

/** `。。`, `，，`, `？？`…; the ellipsis `……` and the dash `——` are single marks and not matched. */
export const repeatedPunctuation: Rule = (blocks) =>
  segmentMatches(blocks, pattern, (match) => {
    const mark = match[1] ?? '';
    const slip = slips.has(mark);
    return {
      ruleId: 'repeated-punctuation',
      severity: 'warning',
      reason: `\`${mark}\` repeated`,
      expected: mark,
      safe: slip,
      note: slip ? undefined : 'kept by --fix: a repeated `？` or `！` may be meant',
    };
  });
