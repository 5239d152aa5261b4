import type { VFile } from 'vfile';
import { buildLetters } from '../build/build-letters.ts';
import { ContentError } from '../build/content-error.ts';
import type { BrowserStart } from '../pdf/browser.ts';
import { LayoutError } from '../pdf/layout-error.ts';

export interface PreviewBuild {
  /** The letter as it will print, when it built. */
  pdf?: Uint8Array;
  /** The letter's file with its messages (errors when it did not build); absent when it could not even be read. */
  file?: VFile;
  /** A failure that is not a message in the letter (a layout that does not settle, an unreadable file). */
  failure?: string;
  /** Files the letter uses besides itself (images), relative to `cwd`. */
  assets: string[];
}

/**
 * The one place where `dev` calls the build pipeline: switch this function to
 * the in-memory `buildLetter()` once it lands. Until then the whole build runs
 * with the warm browser and writes into `scratchDir`, a folder of the preview's own.
 */
export async function buildPreview(letterPath: string, options: { cwd: string; browser: BrowserStart; scratchDir: string }): Promise<PreviewBuild> {
  try {
    const { letters } = await buildLetters({
      paths: [letterPath],
      cwd: options.cwd,
      outDir: options.scratchDir,
      page: { paper: 'a4', profile: 'pdf' },
      htmlOnly: false,
      browser: options.browser,
      log: () => undefined,
    });
    const [letter] = letters;
    return { pdf: letter?.pdf, file: letter?.file, assets: (letter?.file.data.assets ?? []).map((a) => a.path) };
  } catch (error) {
    if (error instanceof ContentError) return { file: error.files[0], assets: (error.files[0]?.data.assets ?? []).map((a) => a.path) };
    if (error instanceof LayoutError || (error as NodeJS.ErrnoException).code === 'ENOENT') return { failure: (error as Error).message, assets: [] };
    throw error;
  }
}
