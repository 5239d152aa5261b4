import path from 'node:path';
import type { VFile } from 'vfile';
import { isInside } from './is-inside.ts';

/**
 * How a letter and its images are laid out when kept together (a PDF/A's
 * embedded files, an archived version), so that a build from those files
 * alone finds every image where the letter refers to it. Relative to the
 * letter's folder when every image lies in it; otherwise relative to the
 * nearest folder that holds the letter's folder, the assets folder and every
 * image, with the places of the letter's and the assets folder in it.
 */
export interface KeptLayout {
  /** The folder the names are relative to (absolute). */
  base: string;
  /** Only when an image lies outside the letter's folder: where the letter and the assets folder are, from `base`, with `/`. */
  folders?: { letter: string; assets: string };
  /** An image's name in the layout: its path from `base`, with `/`. */
  name: (absolute: string) => string;
}

const slashed = (from: string, to: string): string => path.relative(from, to).split(path.sep).join('/');

/** The layout of a parsed letter (its images are in `file.data.assets`). */
export function keptLayout(file: VFile): KeptLayout {
  const letterDir = path.resolve(file.cwd, file.dirname ?? '.');
  const images = (file.data.assets ?? []).map((asset) => path.resolve(file.cwd, asset.path));
  if (images.every((image) => isInside(letterDir, image))) return { base: letterDir, name: (image) => slashed(letterDir, image) };
  const assetsDir = file.data.assetsDir ?? path.join(file.cwd, 'assets');
  let base = letterDir;
  while (![assetsDir, ...images].every((p) => isInside(base, p)) && path.dirname(base) !== base) base = path.dirname(base);
  return { base, folders: { letter: slashed(base, letterDir), assets: slashed(base, assetsDir) || '.' }, name: (image) => slashed(base, image) };
}

/** The folder a recorded layout's names are relative to, for the letter at `letterDir` now. */
export function layoutBase(letterDir: string, folders: KeptLayout['folders']): string {
  return folders ? path.resolve(letterDir, ...folders.letter.split('/').map(() => '..')) : letterDir;
}
