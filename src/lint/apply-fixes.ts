import type { Finding } from './finding.ts';

/**
 * The source with every safe finding's replacement applied and nothing else
 * changed. Overlapping findings keep the first; the rest show up on the next lint.
 */
export function applyFixes(source: string, findings: readonly Finding[]): { text: string; applied: Finding[] } {
  const applied: Finding[] = [];
  let text = '';
  let cursor = 0;
  for (const finding of [...findings].sort((a, b) => a.start - b.start)) {
    if (!finding.safe || finding.expected === undefined || finding.start < cursor) continue;
    text += source.slice(cursor, finding.start) + finding.expected;
    cursor = finding.end;
    applied.push(finding);
  }
  return { text: text + source.slice(cursor), applied };
}
