/** One problem in a letter's text, found on its source (offsets into the Markdown file). */
export interface Finding {
  ruleId: string;
  /** An error fails `lint` (exit 1); a warning is reported only. */
  severity: 'error' | 'warning';
  reason: string;
  /** [start, end) in the source. */
  start: number;
  end: number;
  /** The source text the finding covers. */
  actual: string;
  /** What a careful editor would write instead (absent when only the author can decide). */
  expected?: string;
  /** `--fix` applies only safe replacements: the meaning cannot change. */
  safe: boolean;
  note?: string;
}

/** A rule reads every text block of a letter (it needs them all to judge consistency). */
export type Rule = (blocks: readonly TextBlock[]) => Finding[];

/** A run of the letter's prose, as it stands in the source: text outside code, URLs and front matter. */
export interface TextSegment {
  text: string;
  /** Offset of `text` in the source. */
  start: number;
  /** A hard line break follows. */
  endsLine?: boolean;
}

/** The prose of one paragraph, heading or table cell; brackets and quotes must balance within it. */
export interface TextBlock {
  segments: TextSegment[];
}
