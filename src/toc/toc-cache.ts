import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { VFile } from 'vfile';
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

/**
 * Where a letter's TOC numbers are kept: by its very document (unnumbered, with
 * the fonts' versions; like LaTeX's .aux file), and by its file and page setup
 * (the last build's numbers, which an edit rarely moves).
 */
export interface TocKeys {
  document?: string;
  letter?: string;
}

/** A letter's keys; without its unnumbered document, its numbers are not looked up by document. */
export function tocKeys(file: VFile, page: PageSetup, unnumbered: { fontless: string } | undefined, fonts: readonly string[]): TocKeys {
  return {
    document: unnumbered && tocCacheKey(`${unnumbered.fontless}\0${fonts.join('\0')}`),
    letter: file.path ? letterTocKey(path.resolve(file.cwd, file.path), page) : undefined,
  };
}

/** Before a print: the numbers kept for this very document, else those of the letter's last build (none for a letter without a TOC). */
export async function keptTocPages(entries: readonly { id: string }[], keys: TocKeys): Promise<ReadonlyMap<string, number> | undefined> {
  if (entries.length === 0) return undefined;
  const read = async (key: string | undefined) => (key ? readTocCache(key) : undefined);
  return (await read(keys.document)) ?? (await read(keys.letter));
}

/**
 * After a print: whether the headings landed elsewhere than the numbers
 * printed say, and if so those pages kept for the next build (`kept`, written
 * while the build goes on, to be waited for before it returns).
 */
export function keepTocPages(
  entries: readonly { id: string }[],
  keys: TocKeys,
  printed: ReadonlyMap<string, number> | undefined,
  found: ReadonlyMap<string, number>,
): { moved: boolean; kept: Promise<unknown> } {
  const moved = entries.length > 0 && !entries.every((h) => printed?.get(h.id) === found.get(h.id));
  const kept = moved ? Promise.all([keys.document, keys.letter].map((key) => key && writeTocCache(key, found))) : Promise.resolve([]);
  kept.catch(() => undefined);
  return { moved, kept };
}
