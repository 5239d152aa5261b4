import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { VFile } from 'vfile';
import { hasErrors, layOutLetter, parseLetter, type LetterBuild } from '../build/build-letter.ts';
import type { PageSetup } from '../config/page-setup.ts';
import { letterSlug, loadLetters } from '../load/load-letters.ts';
import { ContentError } from '../errors.ts';
import { withBrowser } from '../pdf/browser.ts';
import { writeDurably } from '../write/write-atomic.ts';
import { writeCatalogue } from './catalogue.ts';
import { listVersions, manifestName, temporaryPrefix, versionFiles, versionRel, type StoredVersion } from './layout.ts';
import { isRunning } from '../process-alive.ts';
import { withArchiveLock } from './lock.ts';
import { readManifest, serializeManifest, sha256Of, type Manifest } from './manifest.ts';

export interface ArchiveOptions {
  paths: string[];
  cwd: string;
  archiveDir: string;
  page: PageSetup;
  /** SOURCE_DATE_EPOCH (seconds) for the PDFs' dates; recorded in the manifest so a rebuild uses it too. */
  sourceDateEpoch?: number;
  log: (line: string) => void;
}

export interface ArchiveResult {
  sourcePath: string;
  /** `<date>/<slug>/v<N>`: the version added, or the latest one when the source had not changed. */
  rel: string;
  added: boolean;
}

/**
 * Builds each letter and stores it as a new version, unless the latest version
 * of that letter holds the same source built with the same page setup. Versions
 * are write-once: each is written complete into a temporary folder inside the
 * archive and renamed into place while holding the archive's lock.
 */
export async function archiveLetters(options: ArchiveOptions): Promise<ArchiveResult[]> {
  const { archiveDir, page, log } = options;
  const results: ArchiveResult[] = [];
  const toBuild: VFile[] = [];
  // Cheap check before the expensive build; repeated under the lock, where it decides.
  for (const file of await loadLetters(options.paths, options.cwd)) {
    const same = await unchangedVersion(archiveDir, letterSlug(file), sourceBytes(file), page, letterDir(file, options.cwd));
    if (same) results.push({ sourcePath: file.path, rel: same.rel, added: false });
    else toBuild.push(file);
  }
  const letters = toBuild.length > 0 ? await buildInMemory(toBuild, options) : [];

  await withArchiveLock(
    archiveDir,
    async () => {
      await removeLeftovers(archiveDir);
      for (const letter of letters) {
        const source = sourceBytes(letter.file);
        const same = await unchangedVersion(archiveDir, letterSlug(letter.file), source, page, letterDir(letter.file, options.cwd));
        results.push(same ? { sourcePath: letter.file.path, rel: same.rel, added: false } : await storeVersion(archiveDir, letter, source, options));
      }
      await writeCatalogue(archiveDir);
    },
    { log },
  );
  for (const r of results) log(`archive   ${r.sourcePath}: ${r.added ? `added ${r.rel}` : `unchanged, already archived as ${r.rel}`}`);
  return results;
}

/** The exact text that was built: the letter as loaded (UTF-8), so a rebuild from the archive reads the same. */
function sourceBytes(file: VFile): Buffer {
  return Buffer.from(String(file.value), 'utf8');
}

/** The folder the letter's images are resolved from; the version folder keeps them at the same relative paths. */
function letterDir(file: VFile, cwd: string): string {
  return path.resolve(cwd, file.dirname ?? '.');
}

/**
 * The latest version of the letter if it holds this very source, the same
 * images (the files it recorded besides the source and outputs, compared with
 * those beside the letter now) and page setup (its date is then the same too).
 */
async function unchangedVersion(archiveDir: string, slug: string, source: Uint8Array, page: PageSetup, dir: string): Promise<StoredVersion | undefined> {
  const hash = sha256Of(source);
  const names = versionFiles(slug);
  const versions = (await listVersions(archiveDir)).filter((v) => v.slug === slug);
  const latestPerDate = versions.filter((v) => !versions.some((w) => w.date === v.date && w.version > v.version));
  for (const latest of latestPerDate) {
    const { manifest } = await readManifest(latest);
    if (manifest.files[names.source]?.sha256 !== hash || manifest.paper !== page.paper || manifest.profile !== page.profile) continue;
    const assets = Object.entries(manifest.files).filter(([name]) => !Object.values(names).includes(name));
    const current = await Promise.all(assets.map(([name]) => readFile(path.join(dir, name)).then(sha256Of, () => undefined)));
    if (assets.every(([, recorded], i) => recorded.sha256 === current[i])) return latest;
  }
  return undefined;
}

/** Builds the letters in memory with one Chromium; every letter is checked before any is printed. */
async function buildInMemory(files: VFile[], options: ArchiveOptions): Promise<LetterBuild[]> {
  const parsed = await Promise.all(files.map((file) => parseLetter(file)));
  if (files.some(hasErrors)) throw new ContentError(files);
  const letterOptions = { page: options.page, sourceDateEpoch: options.sourceDateEpoch, log: options.log };
  return withBrowser(async (browser) => {
    const letters: LetterBuild[] = [];
    for (const letter of parsed) letters.push(await layOutLetter(letter, letterOptions, browser));
    return letters;
  });
}

async function storeVersion(archiveDir: string, letter: LetterBuild, source: Buffer, options: ArchiveOptions): Promise<ArchiveResult> {
  const { frontMatter: meta, file } = letter;
  const { page, cwd } = options;
  if (!letter.pdf || !letter.pages || !letter.versions.chromium) throw new Error(`${file.path}: the build returned no PDF`);
  const slug = letterSlug(file);
  const names = versionFiles(slug);
  const previous = (await listVersions(archiveDir)).filter((v) => v.slug === slug && v.date === meta.date).at(-1);
  const version = (previous?.version ?? 0) + 1;
  // Images at their paths relative to the letter, so a rebuild from the version folder finds them.
  const assets = await Promise.all(
    letter.assets.map(async (asset): Promise<[string, Uint8Array]> => [
      path.relative(letterDir(file, cwd), path.resolve(cwd, asset.path)).split(path.sep).join('/'),
      await readFile(path.resolve(cwd, asset.path)),
    ]),
  );
  const contents: [string, Uint8Array | string][] = [[names.source, source], ...assets, [names.html, letter.html], [names.pdf, letter.pdf]];
  const manifest: Manifest = {
    slug,
    date: meta.date,
    version,
    title: meta.title,
    sourcePath: file.path,
    paper: page.paper,
    profile: page.profile,
    pages: letter.pages,
    toc: letter.toc.map(({ id, title, page }) => ({ id, title, page })),
    files: Object.fromEntries(contents.map(([name, data]) => [name, { sha256: sha256Of(data), bytes: Buffer.byteLength(data) }])),
    letterpressVersion: letter.versions.letterpress,
    chromiumVersion: letter.versions.chromium,
    fonts: letter.versions.fonts,
    sourceDateEpoch: options.sourceDateEpoch === undefined ? null : String(options.sourceDateEpoch),
    builtAt: new Date().toISOString(),
  };
  const serialized = serializeManifest(manifest);

  const staging = path.join(archiveDir, `${temporaryPrefix}${process.pid}-${slug}`);
  await mkdir(staging);
  // The manifest goes last: a staging folder with a manifest holds every file it names.
  for (const [name, data] of [...contents, [manifestName, serialized] as const]) {
    await mkdir(path.dirname(path.join(staging, name)), { recursive: true });
    // 'wx': a file in the archive is never overwritten; synced, so a version renamed into place is on disk.
    await writeDurably(path.join(staging, name), data);
    await testPause();
  }
  const rel = versionRel(meta.date, slug, version);
  await mkdir(path.dirname(path.join(archiveDir, rel)), { recursive: true });
  await rename(staging, path.join(archiveDir, rel));
  return { sourcePath: file.path, rel, added: true };
}

/** LETTERPRESS_ARCHIVE_PAUSE_MS: a pause after each file of a version, only so tests can kill a run mid-write. */
async function testPause(): Promise<void> {
  const ms = Number(process.env.LETTERPRESS_ARCHIVE_PAUSE_MS);
  if (ms > 0) await sleep(ms);
}

/**
 * Temporary files and folders of runs that died (crash, kill, Ctrl-C) before
 * renaming them into place: `.tmp-<pid>-…` and `….<pid>.tmp` at the archive's
 * top. Removed under the lock, when their process is gone (or is us: a pid can be reused).
 */
export async function removeLeftovers(archiveDir: string): Promise<void> {
  for (const name of await readdir(archiveDir)) {
    const pid = leftoverPid(name);
    if (pid !== undefined && (pid === process.pid || !isRunning(pid))) await rm(path.join(archiveDir, name), { recursive: true, force: true });
  }
}

/** The pid in the name of a temporary file or folder of an archive run. */
export function leftoverPid(name: string): number | undefined {
  const match = new RegExp(`^${temporaryPrefix.replace('.', '\\.')}(\\d+)-|\\.(\\d+)\\.tmp$`).exec(name);
  return match ? Number(match[1] ?? match[2]) : undefined;
}
