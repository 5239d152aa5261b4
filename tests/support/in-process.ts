import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { useCacheRoot } from '../../src/common/cache-dir.ts';
import { buildLetter, type BuildLetterOptions, type LetterBuild } from '../../src/pipeline/build-letter.ts';
import { letterFile, loadLetters } from '../../src/load/load-letters.ts';
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

export interface InProcessBuild extends LetterBuild {
  pdf: Uint8Array;
  /** The build's progress lines, as the CLI prints them. */
  log: string;
  /** The folder the letter was written to. */
  dir: string;
}

/**
 * Builds `source` as `<name>.md` in a fresh folder with buildLetter(), in this
 * process. `cacheDir` gives the build caches of their own (a cold build).
 */
export async function buildInProcess(
  browser: Browser,
  name: string,
  source: string,
  options: Partial<BuildLetterOptions> & { cacheDir?: string } = {},
): Promise<InProcessBuild> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `letterpress-${name}-`));
  await writeFile(path.join(dir, `${name}.md`), source);
  const lines: string[] = [];
  if (options.cacheDir) useCacheRoot(options.cacheDir);
  try {
    const file = letterFile(`${name}.md`, source, dir);
    const built = await buildLetter(file, { page: { paper: 'a4', profile: 'pdf' }, ...options, log: (line) => lines.push(line) }, browser);
    if (!built.pdf) throw new Error('no PDF');
    return { ...built, pdf: built.pdf, log: lines.join('\n'), dir };
  } finally {
    if (options.cacheDir) useCacheRoot(undefined);
  }
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
  const [letter] = await loadLetters([file], cwd);
  if (!letter) throw new Error(`${file} was not read`);
  const built = await buildLetter(letter, { ...letterOptions, page }, browser);
  await writeTogether(outDir, letterOutputs(built, outDir, page));
  return built;
}
