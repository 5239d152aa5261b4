import type { Dirent } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { buildLetter } from '../pipeline/build-letter.ts';
import { loadLetter } from '../load/load-letters.ts';
import { unsignedLength, verifySignatures, type SignatureReport } from '../sign/verify-signatures.ts';
import { isRunning } from '../common/process-alive.ts';
import { deadRuns, leftoverPid } from './commit-versions.ts';
import { recordedManifests, renderCatalogue, type CatalogueEntry } from './catalogue.ts';
import { houseStyleName, readHouseStyleRecord } from './house-style-record.ts';
import { anchorName, ArchiveError, archiveIoError, catalogueFiles, listVersions, lockName, manifestName, temporaryPrefix, versionFiles, type StoredVersion } from './layout.ts';
import { withArchiveLock } from './lock.ts';
import { readArchived, readManifest, sha256Of, type Manifest } from './manifest.ts';
import { pdfaIdentification } from '../postprocess/pdfa.ts';
import { normalFingerprint } from '../sign/signer-fingerprint.ts';
import { checkTimestampToken } from '../sign/timestamp.ts';

export interface Finding {
  kind: 'changed' | 'missing' | 'appeared' | 'symlink' | 'signature' | 'anchor';
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
  /** Each version's anchor that holds: the time an authority vouches its manifest existed. */
  anchors: { rel: string; time: Date; authority: string }[];
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
  const anchors: VerifyReport['anchors'] = [];
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
    const anchorRel = `${version.rel}/${anchorName}`;
    if (tree.files.includes(anchorRel)) {
      expected.add(anchorRel);
      const check = checkTimestampToken(await readArchived(path.join(version.dir, anchorName)), await readArchived(path.join(version.dir, manifestName)));
      if (check.problems.length > 0 || !check.time) findings.push({ kind: 'anchor', file: anchorRel, detail: `the time-stamp does not hold for this manifest (the history was rewritten after it was anchored, or the token was changed): ${check.problems.join('; ')}` });
      else anchors.push({ rel: version.rel, time: check.time, authority: check.tsaCertificate?.subject ?? '?' });
    }
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
        const reports = verifySignatures(data);
        for (const report of reports) {
          signatures.push({ file: rel, report });
          if (!report.valid) findings.push({ kind: 'signature', file: rel, detail: `the signature of ${report.signer ?? 'an unknown signer'} does not verify: ${report.problems.join('; ')}` });
        }
        if (name === versionFiles(version.slug).pdf) findings.push(...(await checkRecordedForm(entry.manifest, rel, data, reports)));
      }
      if (!data) findings.push({ kind: 'missing', file: rel, detail: 'named in the manifest, not on disk' });
      else if (sha256Of(data) !== recorded.sha256) {
        findings.push({ kind: 'changed', file: rel, detail: `sha256 ${sha256Of(data)} (${data.length} bytes), the manifest says ${recorded.sha256} (${recorded.bytes} bytes)` });
      }
    }
  }
  const runs = await deadRuns(archiveDir);
  const rollBack = runs.flatMap((run) => (run.journal?.kind === 'uncommitted' ? run.journal.rels : []));
  findings.push(...checkChains(versions, entries));
  findings.push(...(await checkCatalogue(archiveDir, versions, entries, rollBack)));

  for (const rel of tree.files) {
    if (expected.has(rel) || unchecked.some((folder) => rel.startsWith(folder))) continue;
    const pid = leftoverPid(rel.split('/')[0] ?? '');
    // Another run's files of the moment (its attempt at the lock, its staging): not part of the archive.
    if (pid !== undefined && pid !== process.pid && isRunning(pid)) continue;
    const journal = runs.find((run) => run.pid === pid)?.journal;
    let detail = pid !== undefined || rollBack.some((v) => rel.startsWith(`${v}/`)) ? 'left by an interrupted archive run; the next `archive` removes it' : 'no manifest names it';
    if (journal?.kind === 'unmatched') {
      detail = rel === `${temporaryPrefix}${pid}-journal.json`
        ? `a journal that does not match the archive (${journal.reason}); letterpress acts on none of it: find out how it came here, then remove it`
        : 'beside a journal that does not match the archive; letterpress leaves it alone';
    }
    findings.push({ kind: 'appeared', file: rel, detail });
  }
  return { entries, versionCount: versions.length, fileCount, findings: findings.sort((a, b) => a.file.localeCompare(b.file)), signatures, anchors };
}

/**
 * The PDF is still what its manifest says it was made as: signed by the
 * recorded certificate (a valid signature with that fingerprint), and PDF/A-3.
 * A history rewritten with unsigned or plain PDFs fails here unless its
 * manifests are rewritten to say so too, which changes every hash after them.
 */
async function checkRecordedForm(manifest: Manifest, rel: string, pdf: Buffer, reports: SignatureReport[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const recorded = manifest.signature;
  if (recorded) {
    const by = `${recorded.signer} (certificate SHA-256 ${recorded.fingerprint})`;
    const valid = reports.filter((r) => r.valid && r.fingerprint).map((r) => normalFingerprint(r.fingerprint ?? ''));
    if (reports.length === 0) findings.push({ kind: 'signature', file: rel, detail: `the manifest records a signature by ${by}, but the PDF carries no signature` });
    else if (!valid.includes(recorded.fingerprint)) findings.push({ kind: 'signature', file: rel, detail: `the manifest records a signature by ${by}, but the PDF carries no valid signature by that certificate` });
  }
  if (manifest.pdfa && (await pdfaIdentification(pdf))?.part !== 3) {
    findings.push({ kind: 'changed', file: rel, detail: 'the manifest records a PDF/A-3 file, but the PDF is not PDF/A-3 (no PDF/A identification or output intent)' });
  }
  return findings;
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
  const { manifest } = entry;
  if (!manifest.folders) return rebuildFrom(entry, entry.version.dir, path.join(entry.version.dir, versionFiles(entry.version.slug).source), undefined, browser, log);
  // Images from outside the letter's folder: the letter and its images laid out again as they were (kept-layout.ts), in a folder of its own.
  const project = await mkdtemp(path.join(os.tmpdir(), 'letterpress-rebuild-'));
  try {
    const names = versionFiles(entry.version.slug);
    const source = path.join(project, manifest.folders.letter, names.source);
    await mkdir(path.join(project, manifest.folders.assets), { recursive: true });
    for (const [to, from] of [[source, names.source], ...Object.keys(manifest.files).filter((n) => !Object.values(names).includes(n)).map((n) => [path.join(project, n), n])] as [string, string][]) {
      await mkdir(path.dirname(to), { recursive: true });
      await writeFile(to, await readArchived(path.join(entry.version.dir, from)));
    }
    return await rebuildFrom(entry, project, source, path.join(project, manifest.folders.assets), browser, log);
  } finally {
    await rm(project, { recursive: true, force: true });
  }
}

async function rebuildFrom(entry: CatalogueEntry, cwd: string, source: string, assetsDir: string | undefined, browser: Browser, log: (line: string) => void): Promise<RebuildResult> {
  const { version, manifest } = entry;
  const names = versionFiles(version.slug);
  const house = manifest.files[houseStyleName] ? readHouseStyleRecord((await readArchived(path.join(version.dir, houseStyleName))).toString('utf8')) : undefined;
  const file = await loadLetter(source, cwd, { assetsDir, house });
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
  // A signed PDF begins with the bytes the build makes; its signature's update follows them.
  const stored = await readFile(path.join(version.dir, names.pdf));
  // The end of line after the unsigned file's %%EOF may be the signer's: the built file may end with it or not.
  const unsigned = stored.subarray(0, unsignedLength(stored));
  const built = Buffer.from(letter.pdf);
  const pdfIdentical = built.subarray(0, unsigned.length).equals(unsigned) && /^(\r?\n)?$/.test(built.subarray(unsigned.length).toString('latin1'));
  const htmlIdentical = Buffer.from(letter.html).equals(await readFile(path.join(version.dir, names.html)));
  const now = `letterpress ${letter.versions.letterpress}, ${letter.versions.chromium}`;
  const then = `letterpress ${manifest.letterpressVersion}, ${manifest.chromiumVersion}`;
  return { rel: version.rel, pdfIdentical, htmlIdentical, toolchain: now === then ? undefined : `archived with ${then}; rebuilt with ${now}` };
}
