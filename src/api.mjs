// `import { buildLetter } from 'letterpress'`: the library from the same bundle as the CLI
// (rebuilt when src/ changed), so it loads fast and needs no TypeScript loader.
// The names are those of src/index.ts (tests/pipeline/build-letter.e2e.test.ts keeps the two lists equal).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCliBundle } from './setup/cli-bundle.mjs';

const api = await import(pathToFileURL(path.join(await ensureCliBundle(), 'index.mjs')).href);

export const {
  buildLetter,
  buildLetterHtml,
  layOutLetter,
  layOutLetterHtml,
  parseLetter,
  hasErrors,
  buildBatch,
  buildLetters,
  letterOutputs,
  defaultHouseStyle,
  preparedForLine,
  loadHouseStyle,
  ContentError,
  exitCodeFor,
  InterruptedError,
  LetterpressError,
  ToolMissingError,
  UsageError,
  previewLetter,
  letterFile,
  loadLetter,
  loadLetters,
  startBrowser,
  withBrowser,
  KeptTab,
  useCacheRoot,
  writeAtomic,
  writeTogether,
} = api;
