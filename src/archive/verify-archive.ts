import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { buildLetter } from '../build/build-letter.ts';
import { loadLetters } from '../load/load-letters.ts';
import { leftoverPid } from './archive-letter.ts';
import { renderCatalogue, type CatalogueEntry } from './catalogue.ts';
import { ArchiveError, catalogueFiles, listVersions, lockName, manifestName, versionFiles } from './layout.ts';
import { withArchiveLock } from './lock.ts';
import { readManifest, sha256Of } from './manifest.ts';

export interface Finding {
  kind: 'changed' | 'missing' | 'appeared';
  /** Path relative to the archive, with `/`. */
  file: string;
  detail: string;
}

export interface VerifyReport {
  /** The versions whose manifest is valid (those `--rebuild` can rebuild). */
  entries: CatalogueEntry[];
  versionCount: number;
  fileCount: number;
  findings: Finding[];
}

/**
 * Recomputes the hash of every file the manifests name and lists every file
 * that changed, went missing or appeared; the catalogue must be what the
 * manifests give, and each manifest what the catalogue recorded for it.
 * Holds the archive's lock so a concurrent `archive` is not mistaken for tampering.
 */
export async function verifyArchive(archiveDir: string): Promise<VerifyReport> {
  if (!(await stat(archiveDir).catch(() => undefined))?.isDirectory()) throw new ArchiveError(`there is no archive at ${archiveDir}`);
  return withArchiveLock(archiveDir, () => check(archiveDir));
}

async function check(archiveDir: string): Promise<VerifyReport> {
  const findings: Finding[] = [];
  const expected = new Set<string>([lockName]);
  const entries: CatalogueEntry[] = [];
  let fileCount = 0;
  const versions = await listVersions(archiveDir);
  for (const version of versions) {
    const manifestRel = `${version.rel}/${manifestName}`;
    expected.add(manifestRel);
    let entry: CatalogueEntry;
    try {
      const { manifest, sha256 } = await readManifest(version);
      entry = { version, manifest, manifestSha256: sha256 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') findings.push({ kind: 'missing', file: manifestRel, detail: 'the version has no manifest' });
      else if (error instanceof ArchiveError) findings.push({ kind: 'changed', file: manifestRel, detail: error.message });
      else throw error;
      continue;
    }
    entries.push(entry);
    for (const [name, recorded] of Object.entries(entry.manifest.files)) {
      const rel = `${version.rel}/${name}`;
      expected.add(rel);
      fileCount++;
      const data = await readFile(path.join(version.dir, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (!data) findings.push({ kind: 'missing', file: rel, detail: 'named in the manifest, not on disk' });
      else if (sha256Of(data) !== recorded.sha256) {
        findings.push({ kind: 'changed', file: rel, detail: `sha256 ${sha256Of(data)} (${data.length} bytes), the manifest says ${recorded.sha256} (${recorded.bytes} bytes)` });
      }
    }
  }
  if (versions.length > 0) findings.push(...(await checkCatalogue(archiveDir, entries, entries.length === versions.length)));
  for (const name of Object.values(catalogueFiles)) expected.add(name);

  for (const rel of await walkFiles(archiveDir)) {
    if (expected.has(rel)) continue;
    // Temporary files and folders of archive runs sit at the archive's top.
    const leftover = leftoverPid(rel.split('/')[0] ?? '') !== undefined;
    findings.push({ kind: 'appeared', file: rel, detail: leftover ? 'left by an interrupted archive run; the next `archive` removes it' : 'no manifest names it' });
  }
  return { entries, versionCount: versions.length, fileCount, findings: findings.sort((a, b) => a.file.localeCompare(b.file)) };
}

/**
 * Each manifest's hash as the catalogue recorded it (so an edited manifest is
 * caught even when its own hashes were edited to match), and the catalogue
 * itself as the manifests give it (only when every manifest is valid).
 */
async function checkCatalogue(archiveDir: string, entries: CatalogueEntry[], complete: boolean): Promise<Finding[]> {
  const findings: Finding[] = [];
  const stored = await readFile(path.join(archiveDir, catalogueFiles.json), 'utf8').catch(() => undefined);
  const recorded = new Map<string, string>();
  try {
    const parsed = JSON.parse(stored ?? '{"letters":[]}') as { letters?: { versions?: { manifest?: { href?: string; sha256?: string } }[] }[] };
    for (const v of (parsed.letters ?? []).flatMap((l) => l.versions ?? [])) if (v.manifest?.href && v.manifest.sha256) recorded.set(v.manifest.href, v.manifest.sha256);
  } catch {
    // An unreadable index.json is reported below, as not matching the manifests.
  }
  for (const { version, manifestSha256 } of entries) {
    const rel = `${version.rel}/${manifestName}`;
    const was = recorded.get(rel);
    if (was !== undefined && was !== manifestSha256) findings.push({ kind: 'changed', file: rel, detail: `sha256 ${manifestSha256}, the catalogue recorded ${was}` });
  }
  if (!complete) return findings;
  const rendered = renderCatalogue(entries);
  for (const [key, name] of Object.entries(catalogueFiles) as [keyof typeof catalogueFiles, string][]) {
    const current = key === 'json' ? stored : await readFile(path.join(archiveDir, name), 'utf8').catch(() => undefined);
    if (current === undefined) findings.push({ kind: 'missing', file: name, detail: 'the catalogue is missing; the next `archive` writes it' });
    else if (current !== rendered[key]) findings.push({ kind: 'changed', file: name, detail: 'does not match the manifests' });
  }
  return findings;
}

/** Every file under `dir`, relative to it with `/`, sorted. */
async function walkFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

export interface RebuildResult {
  rel: string;
  pdfIdentical: boolean;
  htmlIdentical: boolean;
  /** When not identical: what differs in the tools, which may explain it. */
  toolchain: string | undefined;
}

/**
 * Builds the version again, in memory, from its archived source with its
 * recorded page setup and SOURCE_DATE_EPOCH, and compares the bytes.
 */
export async function rebuildVersion(entry: CatalogueEntry, browser: Browser, log: (line: string) => void): Promise<RebuildResult> {
  const { version, manifest } = entry;
  const names = versionFiles(version.slug);
  const [file] = await loadLetters([path.join(version.dir, names.source)], version.dir);
  if (!file) throw new Error(`${version.rel}: no source to rebuild`);
  const letter = await buildLetter(
    file,
    {
      page: { paper: manifest.paper, profile: manifest.profile },
      sourceDateEpoch: manifest.sourceDateEpoch === null ? undefined : Number(manifest.sourceDateEpoch),
      log,
    },
    browser,
  );
  if (!letter.pdf) throw new Error(`${version.rel}: the rebuild returned no PDF`);
  const pdfIdentical = Buffer.from(letter.pdf).equals(await readFile(path.join(version.dir, names.pdf)));
  const htmlIdentical = Buffer.from(letter.html).equals(await readFile(path.join(version.dir, names.html)));
  const now = `letterpress ${letter.versions.letterpress}, ${letter.versions.chromium ?? '?'}`;
  const then = `letterpress ${manifest.letterpressVersion}, ${manifest.chromiumVersion}`;
  return { rel: version.rel, pdfIdentical, htmlIdentical, toolchain: now === then ? undefined : `archived with ${then}; rebuilt with ${now}` };
}
