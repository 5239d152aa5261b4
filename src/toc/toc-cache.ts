import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheDir } from '../common/cache-dir.ts';
import type { PageSetup } from '../config/page-setup.ts';
import { writeAtomic } from '../write/write-atomic.ts';

/**
 * The TOC's page numbers from the last build of the very same document (its
 * HTML with the numbers left out), kept like LaTeX's .aux file: a rebuild
 * prints them straight away and, when the headings land there again, needs
 * a single layout pass instead of two. The pass always checks them.
 */
export function tocCacheKey(html: string): string {
  return createHash('sha256').update(html).digest('hex');
}

/**
 * The key of a letter's last numbers, whatever its text: an edit that misses
 * its own document's entry tries them, as `dev` tries the previous build's
 * (an edit rarely moves a heading to another page).
 */
export function letterTocKey(letterPath: string, page: PageSetup): string {
  return tocCacheKey(`letter\0${letterPath}\0${page.paper}\0${page.profile}`);
}

export async function readTocCache(key: string): Promise<Map<string, number> | undefined> {
  try {
    const entries = JSON.parse(await readFile(path.join(cacheDir('toc'), `${key}.json`), 'utf8')) as unknown;
    const valid = Array.isArray(entries) && entries.every((e) => Array.isArray(e) && typeof e[0] === 'string' && Number.isInteger(e[1]));
    return valid ? new Map(entries as [string, number][]) : undefined;
  } catch {
    return undefined;
  }
}

export async function writeTocCache(key: string, pages: ReadonlyMap<string, number>): Promise<void> {
  await mkdir(cacheDir('toc'), { recursive: true });
  await writeAtomic(path.join(cacheDir('toc'), `${key}.json`), JSON.stringify([...pages]));
}
