/**
 * What a letter may hold, checked before the expensive stages so a hostile or
 * broken letter fails fast with the position of the offending line instead of
 * hanging or exhausting the stack. Each value is far above a real LP letter.
 * docs/security.md's "Limits" section lists them; keep both in step.
 */
export const limits = {
  /**
   * Bytes of one letter file (Markdown with its front matter): ten times the
   * longest real letter. It bounds the parse's time and memory (2.5–8 s at the
   * limit); a letter that long is parsed in a worker thread, so Ctrl-C still answers at once.
   */
  letterBytes: 1024 * 1024,
  /** Block quotes and list items nested in one another. */
  nestingDepth: 32,
  /** Consecutive `*`, `_` or `~` in one run (outside a line made only of them, a thematic break). */
  delimiterRun: 64,
  /** Runs of `*`, `_`, `~` and opening `[` in one paragraph (a table: one row): matching them costs time quadratic in their number. */
  inlineMarkers: 500,
  /** `{…}` groups and `\left…\right` pairs nested in one formula (deeper, KaTeX's markup overflows the stack). */
  formulaNesting: 40,
  /** Columns of a table. */
  tableColumns: 30,
  /** Characters of `title` and `shortTitle`. */
  titleLength: 200,
  /** Characters of every other front-matter text value. */
  valueLength: 500,
  /** Bytes of one image, a file or a decoded `data:` URL. */
  imageBytes: 10 * 1024 * 1024,
  /** Pixels of one raster image (width × height, read from its header): 50 MP is a 8660×5773 photograph; Chromium decodes 4 bytes a pixel. */
  imagePixels: 50_000_000,
  /** Aliases (`*name`) expanded in the front matter: a few nested aliases can expand to billions of values. */
  yamlAliases: 100,
  /** Characters of a URL or path quoted in a message. */
  quotedUrl: 60,
} as const;
