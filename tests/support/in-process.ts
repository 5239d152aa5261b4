import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import type { VFile } from 'vfile';
import { afterAll, beforeAll } from 'vitest';
import { useCacheRoot } from '../../src/common/cache-dir.ts';
import { buildLetter, type BuildLetterOptions, type LetterBuild } from '../../src/pipeline/build-letter.ts';
import { letterFile, loadLetter } from '../../src/load/load-letters.ts';
import { previewLetter, type LetterPreview, type PreviewOptions } from '../../src/dev/preview-letter.ts';
import { letterOutputs } from '../../src/pipeline/build-letters.ts';
import { writeTogether } from '../../src/write/write-together.ts';
import { projectRoot } from './run-cli.ts';
import { startBrowser, type BrowserStart } from '../../src/chromium/browser.ts';

/** One Chromium for every test of a file: end-to-end tests that do not test the CLI itself build in process, against the library. */
export function sharedBrowser(): { use: <T>(work: (browser: Browser) => Promise<T>) => Promise<T> } {
  let browser: BrowserStart | undefined;
  beforeAll(() => {
    browser = startBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    use: (work) => {
      if (!browser) throw new Error('the shared browser is used outside a test');
      return browser.use(work);
    },
  };
}

/** A letter built in a folder of its own, with what it logged. */
export type InProcess<T> = T & {
  /** The build's progress lines, as the CLI prints them. */
  log: string;
  /** The folder the letter was written to. */
  dir: string;
};
export type InProcessBuild = InProcess<LetterBuild>;

/** Runs `make` on `source` written as `<name>.md` in a fresh folder, with its log lines; `cacheDir` gives the caches of their own (a cold build). */
async function inFolder<T>(name: string, source: string, cacheDir: string | undefined, make: (file: VFile, log: (line: string) => void) => Promise<T>): Promise<InProcess<T>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `letterpress-${name}-`));
  await writeFile(path.join(dir, `${name}.md`), source);
  const lines: string[] = [];
  if (cacheDir) useCacheRoot(cacheDir);
  try {
    const built = await make(letterFile(`${name}.md`, source, dir), (line) => lines.push(line));
    return { ...built, log: lines.join('\n'), dir };
  } finally {
    if (cacheDir) useCacheRoot(undefined);
  }
}

/** Builds `source` as `<name>.md` in a fresh folder with buildLetter(), in this process. */
export function buildInProcess(browser: Browser, name: string, source: string, options: Partial<BuildLetterOptions> & { cacheDir?: string } = {}): Promise<InProcessBuild> {
  return inFolder(name, source, options.cacheDir, (file, log) => buildLetter(file, { page: { paper: 'a4', profile: 'pdf' }, ...options, log }, browser));
}

/** The live preview's pages of `source` as `<name>.md` in a fresh folder, with previewLetter(), in this process. */
export function previewInProcess(browser: Browser, name: string, source: string, options: Partial<PreviewOptions> & { cacheDir?: string } = {}): Promise<InProcess<LetterPreview>> {
  return inFolder(name, source, options.cacheDir, (file, log) => previewLetter(file, { page: { paper: 'a4', profile: 'pdf' }, ...options, log }, browser));
}

/**
 * What `letterpress build <file> --out <outDir>` does, in this process: loads
 * the letter as the CLI does (relative to `cwd`), builds it with the shared
 * browser and writes its outputs together. For tests of the build's output,
 * not of the command.
 */
export async function buildFileInProcess(
  browser: Browser,
  file: string,
  outDir: string,
  options: Partial<BuildLetterOptions> & { cwd?: string } = {},
): Promise<LetterBuild> {
  const { cwd = projectRoot, ...letterOptions } = options;
  const page = letterOptions.page ?? { paper: 'a4', profile: 'pdf' };
  const built = await buildLetter(await loadLetter(file, cwd), { ...letterOptions, page }, browser);
  await writeTogether(outDir, letterOutputs(built, outDir, page));
  return built;
}
