import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { buildLetter } from '../build/build-letter.ts';
import { loadLetters } from '../load/load-letters.ts';
import { unsignedLength, verifySignatures, type SignatureReport } from '../sign/verify-signatures.ts';
import { isRunning } from '../process-alive.ts';
import { leftoverPid, uncommittedVersions } from './commit-versions.ts';
import { recordedManifests, renderCatalogue, type CatalogueEntry } from './catalogue.ts';
import { houseStyleName, readHouseStyleRecord } from './house-style-record.ts';
import { ArchiveError, archiveIoError, catalogueFiles, listVersions, lockName, manifestName, versionFiles, type StoredVersion } from './layout.ts';
import { withArchiveLock } from './lock.ts';
import { readArchived, readManifest, sha256Of } from './manifest.ts';

export interface Finding {
  kind: 'changed' | 'missing' | 'appeared' | 'symlink' | 'signature';
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
  /** The signatures of the archived PDFs, each checked. */
  signatures: { file: string; report: SignatureReport }[];
}

/**
 * Recomputes the hash of every file the manifests name and lists every file
 * that changed, went missing or appeared, every symbolic link, every break in
 * a letter's hash chain; the catalogue must be what the manifests give, and
 * list exactly the versions there are, with the manifest hashes it recorded.
 * Holds the archive's lock so a concurrent `archive` is not mistaken for tampering.
 */
export async function verifyArchive(archiveDir: string): Promise<VerifyReport> {
  if (!(await stat(archiveDir).catch(() => undefined))?.isDirectory()) {
    throw new ArchiveError(`there is no archive at ${archiveDir}; name it with --archive DIR (default dist/archive), or start one with \`letterpress archive\``);
  }
  return withArchiveLock(archiveDir, () => check(archiveDir)).catch((error: unknown) => {
    throw archiveIoError(error);
  });
}

/**
 * The archive's versions, all verified; otherwise fails with the first
 * problem, and nothing may be added (run under the lock, after recovering
 * interrupted runs, by `archive`: the catalogue is only ever written from these).
 */
export async function verifiedEntries(archiveDir: string): Promise<{ entries: CatalogueEntry[]; staleIndex: boolean }> {
  const { entries, findings: all } = await check(archiveDir);
  // index.html is a view of the manifests, written again from them by the next commit: one that differs (another version of letterpress drew it) does not stop an archive run.
  const staleIndex = all.some(isStaleIndex);
  const findings = all.filter((f) => !isStaleIndex(f));
  const [first] = findings;
  if (!first) return { entries, staleIndex };
  const more = findings.length > 1 ? ` (and ${findings.length - 1} more problem(s))` : '';
  throw new ArchiveError(
    `the archive does not verify, so nothing was added: ${first.kind} ${first.file}: ${first.detail}${more}; see \`letterpress verify\`, and restore the archive from git`,
  );
}

async function check(archiveDir: string): Promise<VerifyReport> {
  const findings: Finding[] = [];
  const expected = new Set<string>([lockName, ...Object.values(catalogueFiles)]);
  const entries: CatalogueEntry[] = [];
  let fileCount = 0;
  const signatures: VerifyReport['signatures'] = [];
  const tree = await walk(archiveDir);
  findings.push(...tree.symlinks.map((file) => ({ kind: 'symlink' as const, file, detail: 'a symbolic link, but the archive holds only its own files: remove it (restore the real one from git)' })));
  const versions = await listVersions(archiveDir);
  const unchecked: string[] = [];
  for (const version of versions) {
    const manifestRel = `${version.rel}/${manifestName}`;
    expected.add(manifestRel);
    let entry: CatalogueEntry;
    try {
      const { manifest, sha256 } = await readManifest(version);
      entry = { version, manifest, manifestSha256: sha256 };
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'ENOENT') findings.push({ kind: 'missing', file: manifestRel, detail: 'the version folder has no manifest: letterpress did not write it, or its manifest was deleted' });
      else if (code === 'EISDIR') findings.push({ kind: 'changed', file: manifestRel, detail: 'a folder, not a manifest' });
      else if (error instanceof ArchiveError) findings.push({ kind: 'changed', file: manifestRel, detail: error.message });
      // A symbolic link (ELOOP) was reported by the walk.
      else if (code !== 'ELOOP') throw error;
      // Its other files cannot be checked against anything: that one finding covers them.
      unchecked.push(`${version.rel}/`);
      continue;
    }
    entries.push(entry);
    for (const [name, recorded] of Object.entries(entry.manifest.files)) {
      const rel = `${version.rel}/${name}`;
      expected.add(rel);
      fileCount++;
      if (tree.symlinks.includes(rel)) continue;
      const data = await readArchived(path.join(version.dir, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ELOOP' || error.code === 'EISDIR' || error.code === 'ENOTDIR') return undefined;
        throw error;
      });
      if (data && name.endsWith('.pdf')) {
        for (const report of verifySignatures(data)) {
          signatures.push({ file: rel, report });
          if (!report.valid) findings.push({ kind: 'signature', file: rel, detail: `the signature of ${report.signer ?? 'an unknown signer'} does not verify: ${report.problems.join('; ')}` });
        }
      }
      if (!data) findings.push({ kind: 'missing', file: rel, detail: 'named in the manifest, not on disk' });
      else if (sha256Of(data) !== recorded.sha256) {
        findings.push({ kind: 'changed', file: rel, detail: `sha256 ${sha256Of(data)} (${data.length} bytes), the manifest says ${recorded.sha256} (${recorded.bytes} bytes)` });
      }
    }
  }
  const interrupted = await uncommittedVersions(archiveDir);
  findings.push(...checkChains(versions, entries));
  findings.push(...(await checkCatalogue(archiveDir, versions, entries, interrupted.rels)));

  for (const rel of tree.files) {
    if (expected.has(rel) || unchecked.some((folder) => rel.startsWith(folder))) continue;
    const pid = leftoverPid(rel.split('/')[0] ?? '');
    // Another run's files of the moment (its attempt at the lock, its staging): not part of the archive.
    if (pid !== undefined && pid !== process.pid && isRunning(pid)) continue;
    const fromInterrupted = pid !== undefined || interrupted.rels.some((v) => rel.startsWith(`${v}/`));
    findings.push({ kind: 'appeared', file: rel, detail: fromInterrupted ? 'left by an interrupted archive run; the next `archive` removes it' : 'no manifest names it' });
  }
  return { entries, versionCount: versions.length, fileCount, findings: findings.sort((a, b) => a.file.localeCompare(b.file)), signatures };
}

/** The newest version of each letter: its manifest's hash stands for the letter's whole chain. */
export function chainHeads(entries: CatalogueEntry[]): CatalogueEntry[] {
  return entries.filter((e) => !entries.some((o) => o.version.date === e.version.date && o.version.slug === e.version.slug && o.version.version > e.version.version));
}

/**
 * Each letter's versions are v1…vN without a gap, v1's `previous` is null and
 * every later one's is the sha256 of the manifest before it: a version changed,
 * removed or slipped in between breaks the chain at that point.
 */
function checkChains(versions: StoredVersion[], entries: CatalogueEntry[]): Finding[] {
  const findings: Finding[] = [];
  const letters = new Map<string, StoredVersion[]>();
  for (const v of versions) letters.set(`${v.date}/${v.slug}`, [...(letters.get(`${v.date}/${v.slug}`) ?? []), v]);
  for (const [letter, list] of letters) {
    const numbers = new Set(list.map((v) => v.version));
    const newest = Math.max(...numbers);
    for (let n = 1; n < newest; n++) {
      if (!numbers.has(n)) findings.push({ kind: 'missing', file: `${letter}/v${n}`, detail: `a version is gone from the chain (the letter has ${[...numbers].sort((a, b) => a - b).map((k) => `v${k}`).join(', ')})` });
    }
    for (const v of list) {
      const entry = entries.find((e) => e.version.rel === v.rel);
      if (!entry) continue;
      const before = entries.find((e) => e.version.date === v.date && e.version.slug === v.slug && e.version.version === v.version - 1);
      const file = `${v.rel}/${manifestName}`;
      if (v.version === 1 && entry.manifest.previous !== null) findings.push({ kind: 'changed', file, detail: `v1 names a previous version (${entry.manifest.previous}); the chain must start at v1` });
      else if (before && entry.manifest.previous !== before.manifestSha256) {
        findings.push({ kind: 'changed', file, detail: `the chain is broken: \`previous\` is ${entry.manifest.previous ?? 'null'}, but v${v.version - 1}'s manifest hashes to ${before.manifestSha256}` });
      }
    }
  }
  return findings;
}

/**
 * The catalogue lists exactly the versions there are (a version deleted or
 * added behind letterpress's back shows here, even with a consistent chain),
 * with each manifest's hash as it was when written, and is itself what the
 * manifests give (checked only when every manifest is valid).
 */
async function checkCatalogue(archiveDir: string, versions: StoredVersion[], entries: CatalogueEntry[], interrupted: string[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const recorded = await recordedManifests(archiveDir);
  if (recorded === undefined) {
    if (versions.length > 0) {
      findings.push({ kind: 'missing', file: catalogueFiles.json, detail: 'the catalogue is gone; restore it from git (without it, a deleted newest version would go unnoticed)' });
    }
    return findings;
  }
  const onDisk = new Set(versions.map((v) => `${v.rel}/${manifestName}`));
  for (const href of recorded.keys()) {
    if (!onDisk.has(href)) findings.push({ kind: 'missing', file: path.posix.dirname(href), detail: 'the catalogue lists this version; its folder is gone' });
  }
  for (const version of versions) {
    const rel = `${version.rel}/${manifestName}`;
    const entry = entries.find((e) => e.version.rel === version.rel);
    const was = recorded.get(rel);
    if (was === undefined) {
      const detail = interrupted.includes(version.rel)
        ? 'left by an interrupted archive run; the next `archive` removes it'
        : 'a version the catalogue does not list: `letterpress archive` did not add it';
      findings.push({ kind: 'appeared', file: version.rel, detail });
    } else if (entry && was !== entry.manifestSha256) findings.push({ kind: 'changed', file: rel, detail: `sha256 ${entry.manifestSha256}, the catalogue recorded ${was}` });
  }
  if (entries.length !== versions.length) return findings;
  const rendered = await renderCatalogue(entries);
  for (const [key, name] of Object.entries(catalogueFiles) as [keyof typeof catalogueFiles, string][]) {
    const current = await readArchived(path.join(archiveDir, name)).then(
      (b) => b.toString('utf8'),
      () => undefined,
    );
    if (current === undefined) findings.push({ kind: 'missing', file: name, detail: 'the catalogue is gone; restore it from git' });
    else if (current !== rendered[key]) {
      const detail = key === 'html' ? 'does not match the manifests (edited, or drawn by another version of letterpress): `letterpress archive` writes it again' : 'does not match the manifests';
      findings.push({ kind: 'changed', file: name, detail });
    }
  }
  return findings;
}

/** Every file and every symbolic link under `dir` (never followed), relative to it with `/`, sorted. */
async function walk(dir: string): Promise<{ files: string[]; symlinks: string[] }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const rel = (e: Dirent): string => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/');
  return {
    files: entries.filter((e) => !e.isDirectory() && !e.isSymbolicLink()).map(rel).sort(),
    symlinks: entries.filter((e) => e.isSymbolicLink()).map(rel).sort(),
  };
}

function isStaleIndex(finding: Finding): boolean {
  return finding.file === catalogueFiles.html && (finding.kind === 'changed' || finding.kind === 'missing');
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
  if (manifest.files[houseStyleName]) file.data.house = readHouseStyleRecord((await readArchived(path.join(version.dir, houseStyleName))).toString('utf8'));
  const letter = await buildLetter(
    file,
    {
      page: { paper: manifest.paper, profile: manifest.profile },
      sourceDateEpoch: manifest.sourceDateEpoch === null ? undefined : Number(manifest.sourceDateEpoch),
      pdfa: manifest.pdfa ?? false,
      log,
    },
    browser,
  );
  if (!letter.pdf) throw new Error(`${version.rel}: the rebuild returned no PDF`);
  // A signed PDF begins with the bytes the build makes; its signature's update follows them.
  const stored = await readFile(path.join(version.dir, names.pdf));
  const pdfIdentical = Buffer.from(letter.pdf).equals(stored.subarray(0, unsignedLength(stored)));
  const htmlIdentical = Buffer.from(letter.html).equals(await readFile(path.join(version.dir, names.html)));
  const now = `letterpress ${letter.versions.letterpress}, ${letter.versions.chromium ?? '?'}`;
  const then = `letterpress ${manifest.letterpressVersion}, ${manifest.chromiumVersion}`;
  return { rel: version.rel, pdfIdentical, htmlIdentical, toolchain: now === then ? undefined : `archived with ${then}; rebuilt with ${now}` };
}
