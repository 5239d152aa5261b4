import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';

/** The letters of `content/` when no file is named. */
export async function defaultLetterPaths(contentDir: string): Promise<string[]> {
  const entries = await readdir(contentDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => path.join(contentDir, e.name))
    .sort();
}

/**
 * A letter held in memory (an editor's buffer, a test) as the pipeline takes
 * it: `path` names it in diagnostics and locates its images, relative to `cwd`.
 */
export function letterFile(letterPath: string, value: string, cwd: string): VFile {
  return new VFile({ path: path.relative(cwd, path.resolve(cwd, letterPath)), cwd, value });
}

/** Reads each letter into a VFile whose path is relative to `cwd`, as diagnostics print it. */
export async function loadLetters(paths: string[], cwd: string): Promise<VFile[]> {
  return Promise.all(paths.map(async (p) => letterFile(p, await readFile(path.resolve(cwd, p), 'utf8'), cwd)));
}

/** The output name of a letter: its file name without `.md`. */
export function letterSlug(file: VFile): string {
  return file.stem ?? 'letter';
}
