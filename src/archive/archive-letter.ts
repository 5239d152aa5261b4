import { X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { VFile } from 'vfile';
import { buildBatch } from '../pipeline/build-batch.ts';
import type { LetterBuild } from '../pipeline/build-letter.ts';
import type { HouseStyle } from '../config/house-style-schema.ts';
import type { PageSetup } from '../config/page-setup.ts';
import { keptLayout, layoutBase } from '../load/kept-layout.ts';
import { letterSlug, loadLetters } from '../load/load-letters.ts';
import { startBrowser } from '../chromium/browser.ts';
import { commonName, signPdf, type SignOptions } from '../sign/sign-pdf.ts';
import { certificateFingerprint } from '../sign/signer-fingerprint.ts';
import { reached } from '../write/commit-point.ts';
import { writeDurably } from '../write/write-atomic.ts';
import { renderCatalogue, type CatalogueEntry } from './catalogue.ts';
import { commitVersions, recoverInterrupted, type StagedVersion } from './commit-versions.ts';
import { houseStyleName, houseStyleRecord } from './house-style-record.ts';
import { anchorName, archiveIoError, manifestName, temporaryPrefix, versionFiles, versionRel, type StoredVersion } from './layout.ts';
import { withArchiveLock } from './lock.ts';
import { serializeManifest, sha256Of, type Manifest } from './manifest.ts';
import { verifiedEntries } from './verify-archive.ts';

export interface ArchiveOptions {
  paths: string[];
  cwd: string;
  archiveDir: string;
  page: PageSetup;
  /** SOURCE_DATE_EPOCH (seconds) for the PDFs' dates; recorded in the manifest so a rebuild uses it too. */
  sourceDateEpoch?: number;
  log: (line: string) => void;
  /** Ctrl-C: checked before anything is staged and before the commit. */
  signal?: AbortSignal;
  /** Sign each new version's PDF (an incremental update over the reproducible bytes). */
  sign?: Omit<SignOptions, 'time'>;
  /**
   * Anchors each new version: an RFC 3161 time-stamp token over its manifest's
   * bytes (the letter's new chain head), stored beside it; from the caller,
   * which names the authority.
   */
  anchor?: (manifestBytes: Buffer) => Promise<Buffer>;
  /** The project's house style (default: the built-in design). */
  house?: HouseStyle;
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
 * are write-once and chained (each manifest holds the hash of the one before);
 * nothing is added to an archive that does not verify. Each version is written
 * complete into a temporary folder and committed with the catalogue (see
 * commit-versions.ts) while holding the archive's lock.
 */
export async function archiveLetters(options: ArchiveOptions): Promise<ArchiveResult[]> {
  const { archiveDir, page, log } = options;
  const files = await loadLetters(options.paths, options.cwd, { house: options.house });
  const underLock = <T>(work: () => Promise<T>): Promise<T> =>
    withArchiveLock(
      archiveDir,
      async () => {
        await recoverInterrupted(archiveDir);
        return work();
      },
      { log },
    ).catch((error: unknown) => {
      throw archiveIoError(error);
    });
  // Before the expensive build: the archive verifies, and which letters are archived as they are; decided again before writing.
  const archived = await underLock(async () => {
    const { entries } = await verifiedEntries(archiveDir);
    return Promise.all(files.map((file) => unchangedVersion(entries, file, page, options.cwd, options.house)));
  });
  const toBuild = files.filter((_, i) => !archived[i]);
  const letters = toBuild.length > 0 ? await buildBatch(toBuild, startBrowser(), { page, sourceDateEpoch: options.sourceDateEpoch, pdfa: archivedAsPdfa(page), log }) : [];

  const results = await underLock(async () => {
    try {
      return await addVersions(files, letters, archived, options);
    } catch (error) {
      // A full disk, Ctrl-C, any failure: this run's own temporaries go, and what it renamed is rolled back, as for a dead run.
      await recoverInterrupted(archiveDir).catch(() => undefined);
      throw error;
    }
  });
  for (const r of results) log(`archive   ${r.sourcePath}: ${r.added ? `added ${r.rel}` : `unchanged, already archived as ${r.rel}`}`);
  return results;
}

/** Under the lock: stages a version of each letter that is not archived as it is, and commits them with the catalogue. */
async function addVersions(files: VFile[], letters: LetterBuild[], archived: (CatalogueEntry | undefined)[], options: ArchiveOptions): Promise<ArchiveResult[]> {
  const { archiveDir, page } = options;
  const { entries, staleIndex } = await verifiedEntries(archiveDir);
  const staged: StagedVersion[] = [];
  const results: ArchiveResult[] = [];
  for (const [i, file] of files.entries()) {
    const letter = letters.find((l) => l.file.path === file.path);
    // Not built: it was found archived as it is (versions are never removed, so it still is).
    const same = letter ? await unchangedVersion(entries, letter.file, page, options.cwd, options.house) : archived[i];
    if (same || !letter) {
      results.push({ sourcePath: file.path, rel: same!.version.rel, added: false });
      continue;
    }
    options.signal?.throwIfAborted();
    const { entry, staging } = await stageVersion(archiveDir, entries, letter, options);
    entries.push(entry);
    staged.push({ staging, rel: entry.version.rel, manifestSha256: entry.manifestSha256 });
    results.push({ sourcePath: file.path, rel: entry.version.rel, added: true });
  }
  options.signal?.throwIfAborted();
  if (staged.length > 0 || staleIndex) await commitVersions(archiveDir, staged, await renderCatalogue(entries));
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
 * those beside the letter now), house style and page setup (its date is then the same too).
 */
async function unchangedVersion(entries: CatalogueEntry[], file: VFile, page: PageSetup, cwd: string, house: HouseStyle | undefined): Promise<CatalogueEntry | undefined> {
  const record = houseStyleRecord(house);
  const slug = letterSlug(file);
  const hash = sha256Of(sourceBytes(file));
  const names = versionFiles(slug);
  const versions = entries.filter((e) => e.version.slug === slug);
  const latestPerDate = versions.filter((v) => !versions.some((w) => w.version.date === v.version.date && w.version.version > v.version.version));
  for (const latest of latestPerDate) {
    const { manifest } = latest;
    if (manifest.files[names.source]?.sha256 !== hash || manifest.paper !== page.paper || manifest.profile !== page.profile) continue;
    if (manifest.files[houseStyleName]?.sha256 !== (record === undefined ? undefined : sha256Of(record))) continue;
    const assets = Object.entries(manifest.files).filter(([name]) => !Object.values(names).includes(name) && name !== houseStyleName);
    const base = layoutBase(letterDir(file, cwd), manifest.folders);
    const current = await Promise.all(assets.map(([name]) => readFile(path.join(base, name)).then(sha256Of, () => undefined)));
    if (assets.every(([, recorded], i) => recorded.sha256 === current[i])) return latest;
  }
  return undefined;
}

/**
 * Every archived PDF of the `pdf` profile is PDF/A-3 and carries its source: the PDF alone can be
 * rebuilt and checked. The printer's file is not (its crop marks are DeviceCMYK).
 */
function archivedAsPdfa(page: PageSetup): boolean {
  return page.profile === 'pdf';
}

/** What the manifest records of the signer: the certificate's common name and SHA-256 fingerprint. */
function signatureRecord(certificate: Buffer): NonNullable<Manifest['signature']> {
  return { signer: commonName(new X509Certificate(certificate)), fingerprint: certificateFingerprint(certificate) };
}

/** Writes the version complete into a temporary folder of the archive, its manifest chained to the letter's latest version. */
async function stageVersion(archiveDir: string, entries: CatalogueEntry[], letter: LetterBuild, options: ArchiveOptions): Promise<{ entry: CatalogueEntry; staging: string }> {
  const { frontMatter: meta, file } = letter;
  const { page, cwd } = options;
  const slug = letterSlug(file);
  const names = versionFiles(slug);
  const previous = entries.filter((e) => e.version.slug === slug && e.version.date === meta.date).at(-1);
  const version = (previous?.version.version ?? 0) + 1;
  // Images at their paths relative to the letter (or laid out with it: see kept-layout.ts), so a rebuild from the version finds them.
  const layout = keptLayout(file);
  const assets = await Promise.all(
    letter.assets.map(async (asset): Promise<[string, Uint8Array]> => [layout.name(path.resolve(cwd, asset.path)), await readFile(path.resolve(cwd, asset.path))]),
  );
  const pdf = options.sign ? await signPdf(letter.pdf, { ...options.sign, time: new Date() }) : letter.pdf;
  // The house style beside the source: a rebuild makes the same bytes with it.
  const record = houseStyleRecord(options.house);
  const house: [string, string][] = record === undefined ? [] : [[houseStyleName, record]];
  const contents: [string, Uint8Array | string][] = [[names.source, sourceBytes(file)], ...house, ...assets, [names.html, letter.html], [names.pdf, pdf]];
  const manifest: Manifest = {
    slug,
    date: meta.date,
    version,
    previous: previous?.manifestSha256 ?? null,
    title: meta.title,
    sourcePath: file.path,
    paper: page.paper,
    profile: page.profile,
    pdfa: archivedAsPdfa(page),
    signature: options.sign ? signatureRecord(options.sign.key.certificate) : null,
    pages: letter.pages,
    toc: letter.toc.map(({ id, title, page }) => ({ id, title, page })),
    ...(layout.folders && { folders: layout.folders }),
    files: Object.fromEntries(contents.map(([name, data]) => [name, { sha256: sha256Of(data), bytes: Buffer.byteLength(data) }])),
    letterpressVersion: letter.versions.letterpress,
    chromiumVersion: letter.versions.chromium,
    fonts: letter.versions.fonts,
    sourceDateEpoch: options.sourceDateEpoch === undefined ? null : String(options.sourceDateEpoch),
    builtAt: new Date().toISOString(),
  };
  const serialized = serializeManifest(manifest);
  // Fetched before anything is staged: an authority that fails leaves nothing behind.
  const anchor = options.anchor ? await options.anchor(Buffer.from(serialized)) : undefined;

  const staging = path.join(archiveDir, `${temporaryPrefix}${process.pid}-${slug}`);
  await mkdir(staging);
  // The manifest goes last: a staging folder with a manifest holds every file it names.
  for (const [name, data] of [...contents, ...(anchor ? [[anchorName, anchor] as const] : []), [manifestName, serialized] as const]) {
    await mkdir(path.dirname(path.join(staging, name)), { recursive: true });
    await writeDurably(path.join(staging, name), data);
    await reached('archive.staged-file');
  }
  const rel = versionRel(meta.date, slug, version);
  const stored: StoredVersion = { date: meta.date, slug, version, dir: path.join(archiveDir, rel), rel };
  return { entry: { version: stored, manifest, manifestSha256: sha256Of(serialized) }, staging };
}
