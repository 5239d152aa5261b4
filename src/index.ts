/**
 * letterpress as a library: `import { buildLetter } from 'letterpress'`.
 * The pipeline runs in memory; writing is a separate step.
 */
export { buildLetter, buildLetterHtml, layOutLetter, layOutLetterHtml, parseLetter, hasErrors } from './pipeline/build-letter.ts';
export type { BuildLetterOptions, LetterBuild, LetterHtml, ParsedLetter, TocLine } from './pipeline/build-letter.ts';
export { buildBatch } from './pipeline/build-batch.ts';
export { buildLetters, letterOutputs } from './pipeline/build-letters.ts';
export type { BuildOptions } from './pipeline/build-letters.ts';
export type { FrontMatter } from './config/front-matter-schema.ts';
export { defaultHouseStyle, preparedForLine, type HouseStyle } from './config/house-style-schema.ts';
export { loadHouseStyle } from './config/load-house-style.ts';
export type { PageSetup, Paper, Profile } from './config/page-setup.ts';
export { ContentError, exitCodeFor, InterruptedError, LetterpressError, ToolMissingError, UsageError } from './common/errors.ts';
export { previewLetter, type LetterPreview, type PreviewOptions } from './dev/preview-letter.ts';
export { letterFile, loadLetter, loadLetters } from './load/load-letters.ts';
export { startBrowser, withBrowser, type BrowserStart } from './chromium/browser.ts';
export { KeptTab } from './print/print-tab.ts';
export { useCacheRoot } from './common/cache-dir.ts';
export { writeAtomic } from './write/write-atomic.ts';
export { writeTogether, type OutputFile } from './write/write-together.ts';
