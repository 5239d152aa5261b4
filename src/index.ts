/**
 * letterpress as a library: `import { buildLetter } from 'letterpress'`.
 * The pipeline runs in memory; writing is a separate step.
 */
export { buildLetter, buildLetterHtml, layOutLetter, layOutLetterHtml, parseLetter, hasErrors } from './build/build-letter.ts';
export type { BuildLetterOptions, LetterBuild, LetterHtml, ParsedLetter, TocLine } from './build/build-letter.ts';
export { buildBatch } from './build/build-batch.ts';
export { buildLetters, letterOutputs } from './build/build-letters.ts';
export type { BuildOptions } from './build/build-letters.ts';
export type { FrontMatter } from './config/front-matter-schema.ts';
export { defaultHouseStyle, preparedForLine, type HouseStyle } from './config/house-style-schema.ts';
export { loadHouseStyle } from './config/load-house-style.ts';
export type { PageSetup, Paper, Profile } from './config/page-setup.ts';
export { ContentError, exitCodeFor, InterruptedError, LetterpressError, ToolMissingError, UsageError } from './errors.ts';
export { previewLetter, type LetterPreview, type PreviewOptions } from './dev/preview-letter.ts';
export { letterFile, loadLetter, loadLetters } from './load/load-letters.ts';
export { startBrowser, withBrowser, type BrowserStart } from './pdf/browser.ts';
export { KeptTab } from './pdf/print-tab.ts';
export { useCacheRoot } from './cache-dir.ts';
export { writeAtomic } from './write/write-atomic.ts';
export { writeTogether, type OutputFile } from './write/write-together.ts';
