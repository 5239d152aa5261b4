import type { Finding, TextBlock, TextSegment } from './finding.ts';

export type FindingFields = Omit<Finding, 'start' | 'end' | 'actual'>;

/**
 * Runs `pattern` (global) over each segment of each block and turns every match
 * that `judge` accepts into a finding at the match's exact source range.
 */
export function segmentMatches(
  blocks: readonly TextBlock[],
  pattern: RegExp,
  judge: (match: RegExpExecArray, segment: TextSegment) => FindingFields | undefined,
): Finding[] {
  const findings: Finding[] = [];
  for (const block of blocks) {
    for (const segment of block.segments) {
      for (const match of segment.text.matchAll(pattern)) {
        const fields = judge(match as RegExpExecArray, segment);
        if (!fields) continue;
        const start = segment.start + match.index;
        findings.push({ ...fields, start, end: start + match[0].length, actual: match[0] });
      }
    }
  }
  return findings;
}
