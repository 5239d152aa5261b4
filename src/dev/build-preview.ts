import type { VFile } from 'vfile';
import { loadHouseStyle } from '../config/load-house-style.ts';
import { ContentError, exitCodes, LetterpressError } from '../common/errors.ts';
import { loadLetter } from '../load/load-letters.ts';
import type { BrowserStart } from '../chromium/browser.ts';
import type { KeptTab } from '../print/print-tab.ts';
import type { RenderOptions } from '../print/render-pdf.ts';
import { previewLetter } from './preview-letter.ts';

export interface PreviewBuild {
  /** The letter as it will print, when it built. */
  pdf?: Uint8Array;
  /** The letter's file with its messages (errors when it did not build); absent when it could not even be read. */
  file?: VFile;
  /** A failure that is not a message in the letter (a layout that does not settle, an unreadable file). */
  failure?: string;
  /** Files the letter uses besides itself (images), relative to `cwd`. */
  assets: string[];
  /** Heading id → page of the TOC, when it built: the next build's guess. */
  tocPages?: Map<string, number>;
  /** Milliseconds per stage, when it built. */
  timings?: Record<string, number | undefined>;
}

/**
 * The one place where `dev` calls the pipeline: `previewLetter()` with the
 * warm browser and the session's tab, printing the pages `build` prints (the
 * house style's paper, the pdf profile) without the structure tree and
 * post-processing, which do not show.
 */
export async function buildPreview(
  letterPath: string,
  options: {
    cwd: string;
    /** `--config FILE`, else the project's letterpress.config.yaml. */
    config?: string;
    browser: BrowserStart;
    tab: KeptTab;
    tocGuess?: ReadonlyMap<string, number>;
    /** Pages to print first, and where they go (see renderPdf's firstLook). */
    firstLook?: RenderOptions['firstLook'];
    log?: (line: string) => void;
  },
): Promise<PreviewBuild> {
  let file: VFile | undefined;
  try {
    const house = await loadHouseStyle(options.cwd, options.config);
    const letter = (file = await loadLetter(letterPath, options.cwd, { house }));
    const page = { paper: house.paper, profile: 'pdf' } as const;
    const built = await options.browser.use((browser) => previewLetter(letter, { page, tocGuess: options.tocGuess, tab: options.tab, firstLook: options.firstLook, log: options.log }, browser));
    return {
      pdf: built.pdf,
      file,
      assets: built.assets.map((a) => a.path),
      tocPages: new Map(built.toc.map((line) => [line.id, line.page])),
      timings: built.timings,
    };
  } catch (error) {
    const assets = (file?.data.assets ?? []).map((a) => a.path);
    if (error instanceof ContentError) return { file: error.files[0] ?? file, assets };
    // A layout that cannot be made, or a letter or house style that cannot be read (mid-save, deleted): shown, and the next save tries again.
    if ((error instanceof LetterpressError && (error.exitCode === exitCodes.failed.code || error.exitCode === exitCodes.usage.code)) || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { file, failure: (error as Error).message, assets };
    }
    throw error;
  }
}
