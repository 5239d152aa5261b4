import type { VFile } from 'vfile';

/** One problem shown over the preview, as the terminal prints it. */
export interface PreviewProblem {
  /** `file:line:column`, or the file alone for a failure without a place. */
  place: string;
  reason: string;
  ruleId?: string;
}

/** What the preview page is told after every build. */
export interface PreviewState {
  /** Number of the last good build (0: none yet); its PDF is `/letter.pdf`. */
  version: number;
  /** Why the last build failed; empty when it succeeded. The last good pages stay visible meanwhile. */
  problems: PreviewProblem[];
  /**
   * Present while build `version` is known only by these pages (the reader's
   * window, printed first; `/pages.pdf?v=<version>`): the whole letter follows,
   * announced with the same version and no `pages`.
   */
  pages?: { first: number; last: number };
}

/** Pages of the letter the reader has in their window, as the preview page reports them, and how many it shows in all. */
export interface PageWindow {
  first: number;
  last: number;
  of: number;
}

export function problemsOf(file: VFile | undefined, failure: string | undefined, letterPath: string): PreviewProblem[] {
  const errors = (file?.messages ?? [])
    .filter((m) => m.fatal)
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
    .map((m) => ({ place: `${file?.path ?? letterPath}:${m.line ?? 1}:${m.column ?? 1}`, reason: m.reason, ruleId: m.ruleId }));
  return failure ? [...errors, { place: letterPath, reason: failure }] : errors;
}
