import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { location } from 'vfile-location';
import type { Finding } from './finding.ts';
import { findProblems } from './find-problems.ts';

export interface ChineseLintOptions {
  /** Report errors as warnings (in `build` and `dev`, so a letter that built before still builds). */
  demote?: boolean;
}

/** The Chinese-text checks as vfile messages at their exact place, each with its suggested replacement. */
export function remarkChineseLint(options: ChineseLintOptions = {}) {
  return (tree: Root, file: VFile): void => {
    reportFindings(file, findProblems(tree, String(file.value)), options);
  };
}

export function reportFindings(file: VFile, findings: readonly Finding[], options: ChineseLintOptions = {}): void {
  const place = location(file);
  for (const finding of findings) {
    const start = place.toPoint(finding.start);
    const end = place.toPoint(finding.end);
    const message = file.message(finding.reason, {
      place: start && end ? { start, end } : start,
      ruleId: finding.ruleId,
      source: 'letterpress',
    });
    message.actual = finding.actual;
    if (finding.expected !== undefined) message.expected = [finding.expected];
    message.note = finding.note ?? (finding.expected === undefined ? undefined : `write \`${finding.expected}\`${finding.safe ? ' (--fix does it)' : ''}`);
    message.fatal = finding.severity === 'error' && !options.demote;
  }
}
