import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { exitCodes, LetterpressError } from '../common/errors.ts';
import { describeFileSystemError } from '../write/file-system-error.ts';

/** The archive's data is damaged or does not hold what was asked for (a tampered file, an unknown version). */
export class ArchiveError extends LetterpressError {
  readonly exitCode = exitCodes.failed.code;
}

/**
 * A file-system error met while reading or writing the archive, as one line
 * naming the path and what to do; anything else (a bug) is passed on.
 */
export function archiveIoError(error: unknown): unknown {
  const reason = describeFileSystemError(error, 'the archive');
  return reason === undefined ? error : new ArchiveError(reason);
}

/** The archive's own files beside the letters' date folders. */
export const catalogueFiles = { html: 'index.html', json: 'index.json' } as const;
export const lockName = '.lock';
export const manifestName = 'manifest.json';
/** A version's anchor: an RFC 3161 time-stamp token over its manifest's bytes (`archive --tsa`). */
export const anchorName = 'manifest.tsr';
/** Prefix of everything an archive run writes before renaming it into place; a crash may leave some behind. */
export const temporaryPrefix = '.tmp-';

/** One stored version: `<date>/<slug>/v<N>/`. */
export interface StoredVersion {
  date: string;
  slug: string;
  version: number;
  /** Absolute path of the version folder. */
  dir: string;
  /** Path of the version folder relative to the archive, with `/` (as links and reports print it). */
  rel: string;
}

/** The names a version's files get: the letter's own name, so a copied file still says what it is. */
export function versionFiles(slug: string): { pdf: string; html: string; source: string } {
  return { pdf: `${slug}.pdf`, html: `${slug}.html`, source: `${slug}.md` };
}

export function versionRel(date: string, slug: string, version: number): string {
  return `${date}/${slug}/v${version}`;
}

const datePattern = /^\d{4}-\d{2}(-\d{2})?$/;
const versionPattern = /^v([1-9]\d*)$/;

async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Every `<date>/<slug>/v<N>` folder of the archive, by date, slug and version number. */
export async function listVersions(archiveDir: string): Promise<StoredVersion[]> {
  const found: StoredVersion[] = [];
  for (const date of (await subfolders(archiveDir)).filter((d) => datePattern.test(d))) {
    for (const slug of await subfolders(path.join(archiveDir, date))) {
      for (const name of await subfolders(path.join(archiveDir, date, slug))) {
        const match = versionPattern.exec(name);
        if (!match) continue;
        const version = Number(match[1]);
        found.push({ date, slug, version, dir: path.join(archiveDir, date, slug, name), rel: versionRel(date, slug, version) });
      }
    }
  }
  return found.sort((a, b) => a.date.localeCompare(b.date) || a.slug.localeCompare(b.slug) || a.version - b.version);
}

/** A path as the CLI prints it: relative to where it runs when inside it, else absolute. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
