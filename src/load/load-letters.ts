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

/** Reads each letter into a VFile whose path is relative to `cwd`, as diagnostics print it. */
export async function loadLetters(paths: string[], cwd: string): Promise<VFile[]> {
  return Promise.all(
    paths.map(async (p) => {
      const absolute = path.resolve(cwd, p);
      return new VFile({ path: path.relative(cwd, absolute), cwd, value: await readFile(absolute, 'utf8') });
    }),
  );
}

/** The output name of a letter: its file name without `.md`. */
export function letterSlug(file: VFile): string {
  return file.stem ?? 'letter';
}
