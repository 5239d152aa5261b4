import type { VFile } from 'vfile';
import { ContentError } from '../common/errors.ts';
import type { BrowserStart } from '../chromium/browser.ts';
import { type BuildLetterOptions, finishLetter, hasErrors, type LetterBuild, parseLetter, type ParsedLetter, printLetter } from './build-letter.ts';

/** The Markdown stage of every letter: all are checked before any is printed, and a letter with errors stops the batch, each letter's messages reported. */
export async function parseLetters(files: VFile[], signal?: AbortSignal): Promise<ParsedLetter[]> {
  const parsed = await Promise.all(files.map((file) => parseLetter(file, undefined, signal)));
  // A Ctrl-C during the parse is the answer, not the letters' errors.
  signal?.throwIfAborted();
  if (files.some(hasErrors)) throw new ContentError(files);
  return parsed;
}

export interface BatchOptions extends BuildLetterOptions {
  /** Ctrl-C: checked before each letter is printed. */
  signal?: AbortSignal;
  /** Called once every letter is checked, before the first print. */
  onParsed?: () => void;
}

/**
 * Builds letters as one batch: every letter parsed and checked, then each
 * printed and finished in turn with one Chromium, which is closed as soon as
 * the last letter is printed (it closes while that letter is finished).
 */
export async function buildBatch(files: VFile[], browser: BrowserStart, options: BatchOptions): Promise<LetterBuild[]> {
  const letters: LetterBuild[] = [];
  try {
    const parsed = await parseLetters(files, options.signal);
    options.onParsed?.();
    for (const letter of parsed) {
      options.signal?.throwIfAborted();
      const printed = await browser.use((chromium) => printLetter(letter, options, chromium));
      if (letter === parsed.at(-1)) void browser.close();
      letters.push(await finishLetter(printed, options));
    }
  } catch (error) {
    await browser.close();
    throw error;
  }
  return letters;
}
