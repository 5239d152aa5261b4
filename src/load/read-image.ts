import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isInside } from './is-inside.ts';
import { limits } from './limits.ts';

export interface AllowedFolder {
  /** The folder as named, for the check before any file is touched. */
  given: string;
  /** The folder with its links resolved, which the image's real path must lie in; undefined when it does not exist or leads out of the project. */
  real: string | undefined;
}

/**
 * The image's bytes, read only once its real path (all links resolved) is
 * known to lie in an allowed folder; else `missing` or why it was refused.
 */
export async function readImage(absolute: string, roots: AllowedFolder[]): Promise<Buffer | string> {
  let real: string;
  try {
    real = await realpath(absolute);
  } catch {
    return 'missing';
  }
  if (!roots.some((root) => root.real !== undefined && isInside(root.real, real))) {
    return "is a link to a file outside the letter's folder and the assets folder: copy the image into the project";
  }
  try {
    // O_NOFOLLOW: the checked path must not have been replaced by a link since.
    const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const info = await handle.stat();
      if (!info.isFile()) return 'is not a file';
      if (info.size > limits.imageBytes) return `is larger than ${limits.imageBytes / 1024 / 1024} MB, the limit for an image`;
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch {
    return 'cannot be read';
  }
}
