import { lstat, mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { catalogueListing, recordedManifests, renderCatalogue, type CatalogueEntry } from './catalogue.ts';
import { catalogueFiles, listVersions, manifestName, temporaryPrefix } from './layout.ts';
import { isRunning } from '../common/process-alive.ts';
import { reached } from '../write/commit-point.ts';
import { writeDurably } from '../write/write-atomic.ts';
import { readArchived, readManifest, sha256Of } from './manifest.ts';

/** A version written complete into a temporary folder of the archive, to be renamed to `rel`. */
export interface StagedVersion {
  staging: string;
  rel: string;
  manifestSha256: string;
}

/** What a run is about to rename into place: written before the first rename, removed after the last. */
const journalSchema = z.strictObject({ versions: z.array(z.strictObject({ rel: z.string(), manifestSha256: z.string() })) });
type Journal = z.infer<typeof journalSchema>;

const escapedPrefix = temporaryPrefix.replace('.', '\\.');
const journalSuffix = 'journal.json';
/** The temporaries of one run at the archive's top: `.tmp-<pid>-<what>`. */
const runFilePattern = new RegExp(`^${escapedPrefix}(\\d+)-(.+)$`);
const versionRelPattern = /^(\d{4}-\d{2}(?:-\d{2})?)\/([^/]+)\/v([1-9]\d*)$/;
const runFile = (archiveDir: string, pid: number, what: string): string => path.join(archiveDir, `${temporaryPrefix}${pid}-${what}`);

/**
 * The kinds of temporary an archive run makes, by name: its journal, its
 * staged catalogue, its attempts at the lock (lock.ts), and one staging
 * folder per version. Recovery removes nothing else.
 */
type TemporaryKind = 'journal' | 'catalogue' | 'lock' | 'staging';
function temporaryKind(what: string): TemporaryKind {
  if (what === journalSuffix) return 'journal';
  if (what === catalogueFiles.json || what === catalogueFiles.html) return 'catalogue';
  if (/^(stale-)?lock-[0-9a-f-]{36}$/.test(what)) return 'lock';
  return 'staging';
}

/**
 * Puts staged versions and the new catalogue in place. index.json is the
 * commit point: a run killed before it is rolled back by the next run (the
 * versions it renamed are removed), one killed after it is completed
 * (index.html put in place). The journal says which versions those are.
 */
export async function commitVersions(archiveDir: string, staged: StagedVersion[], catalogue: { json: string; html: string }): Promise<void> {
  const { pid } = process;
  await writeDurably(runFile(archiveDir, pid, catalogueFiles.json), catalogue.json);
  await writeDurably(runFile(archiveDir, pid, catalogueFiles.html), catalogue.html);
  const journal: Journal = { versions: staged.map(({ rel, manifestSha256 }) => ({ rel, manifestSha256 })) };
  await writeDurably(runFile(archiveDir, pid, journalSuffix), JSON.stringify(journal));
  for (const version of staged) {
    await mkdir(path.dirname(path.join(archiveDir, version.rel)), { recursive: true });
    await rename(version.staging, path.join(archiveDir, version.rel));
    await reached('archive.version-renamed');
  }
  await rename(runFile(archiveDir, pid, catalogueFiles.json), path.join(archiveDir, catalogueFiles.json));
  await reached('archive.catalogue-committed');
  await rename(runFile(archiveDir, pid, catalogueFiles.html), path.join(archiveDir, catalogueFiles.html));
  await rm(runFile(archiveDir, pid, journalSuffix));
}

/** The pid in the name of a temporary file or folder of an archive run. */
export function leftoverPid(name: string): number | undefined {
  const match = runFilePattern.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * What a dead run's journal says, checked against the archive:
 * - `partial`: cut short while being written (nothing was renamed yet);
 * - `committed`: index.json lists every version it names, with its hash (only index.html is left to put in place);
 * - `uncommitted`: the versions it renamed into place (`rels`, found by walking the archive) are to be removed;
 * - `unmatched`: it does not describe what is on disk; nothing of the run is touched, and `verify` reports it.
 */
export type JournalState = { kind: 'partial' } | { kind: 'committed' } | { kind: 'uncommitted'; rels: string[] } | { kind: 'unmatched'; reason: string };

/** A run that died (crash, kill, Ctrl-C) or the current one, with the temporaries its name pattern gives it. */
export interface DeadRun {
  pid: number;
  /** Its temporaries at the archive's top. */
  names: string[];
  /** Its journal's state, when it left one. */
  journal?: JournalState;
}

/** Runs that died, and this one (a pid can be reused): their temporaries and journals. */
export async function deadRuns(archiveDir: string): Promise<DeadRun[]> {
  const runs = new Map<number, DeadRun>();
  for (const name of await readdir(archiveDir)) {
    const pid = leftoverPid(name);
    if (pid === undefined || (pid !== process.pid && isRunning(pid))) continue;
    const run = runs.get(pid) ?? { pid, names: [] };
    run.names.push(name);
    runs.set(pid, run);
  }
  for (const run of runs.values()) {
    if (run.names.includes(`${temporaryPrefix}${run.pid}-${journalSuffix}`)) run.journal = await judgeJournal(archiveDir, run.pid);
  }
  return [...runs.values()].sort((a, b) => a.pid - b.pid);
}

/**
 * Recovery acts only on what it finds itself: a version to roll back is one
 * `listVersions` walked to (a real folder `<date>/<slug>/v<N>` inside the
 * archive), the newest of its letter, not listed by index.json, whose
 * manifest hashes as the journal and the run's staged catalogue both say.
 * A path read from the journal is only ever compared, never opened or removed.
 */
async function judgeJournal(archiveDir: string, pid: number): Promise<JournalState> {
  const unmatched = (reason: string): JournalState => ({ kind: 'unmatched', reason });
  const file = runFile(archiveDir, pid, journalSuffix);
  if (!(await lstat(file)).isFile()) return unmatched('it is not a file');
  const journal = journalSchema.safeParse(
    await readArchived(file)
      .then((bytes) => JSON.parse(bytes.toString('utf8')) as unknown)
      .catch(() => undefined),
  );
  if (!journal.success) return { kind: 'partial' };
  const named = journal.data.versions;
  if (named.length === 0) return unmatched('it names no version');
  const listed = await recordedManifests(archiveDir);
  if (listed && named.every((v) => listed.get(`${v.rel}/${manifestName}`) === v.manifestSha256)) return { kind: 'committed' };
  // Written before the journal and renamed only at the commit point: a run that had not committed left it.
  const staged = await catalogueListing(runFile(archiveDir, pid, catalogueFiles.json)).catch(() => undefined);
  if (!staged) return unmatched('the catalogue its run was to commit is not there');
  const onDisk = await listVersions(archiveDir);
  const rels: string[] = [];
  for (const v of named) {
    const shown = JSON.stringify(v.rel.slice(0, 80));
    const parts = versionRelPattern.exec(v.rel);
    if (!parts) return unmatched(`it names ${shown}, which is not a version's place in the archive`);
    if (staged.get(`${v.rel}/${manifestName}`) !== v.manifestSha256) return unmatched(`it names ${shown}, which the catalogue its run was to commit does not list so`);
    const version = onDisk.find((d) => d.rel === v.rel);
    if (!version) {
      // Not renamed yet: still in its staging folder.
      const staging = runFile(archiveDir, pid, parts[2]!);
      const isFolder = (await lstat(staging).catch(() => undefined))?.isDirectory() === true;
      if (!isFolder || (await manifestHash(staging)) !== v.manifestSha256) return unmatched(`it names ${shown}, which is neither in place nor staged`);
      continue;
    }
    if (listed?.has(`${version.rel}/${manifestName}`)) return unmatched(`it names ${shown}, which index.json lists`);
    if (onDisk.some((d) => d.date === version.date && d.slug === version.slug && d.version > version.version)) return unmatched(`it names ${shown}, which is not the newest version of its letter`);
    if ((await manifestHash(version.dir)) !== v.manifestSha256) return unmatched(`it names ${shown}, whose manifest is not the one it names`);
    rels.push(version.rel);
  }
  // Without index.json, only a first run's versions can be its own: it must name every version there is.
  if (!listed && onDisk.some((d) => !rels.includes(d.rel))) return unmatched('index.json is gone, and the archive holds versions it does not name');
  return { kind: 'uncommitted', rels };
}

async function manifestHash(dir: string): Promise<string | undefined> {
  return readArchived(path.join(dir, manifestName)).then(sha256Of, () => undefined);
}

/**
 * Under the lock, before anything else (and by a run that failed, for its own
 * files): rolls back what dead runs renamed without committing, completes what
 * they committed, and removes their temporaries, each only if it is of the
 * kind its name says (a file, or a real folder for a staging folder). A run
 * whose journal does not match the archive is left alone for a person to look at.
 */
export async function recoverInterrupted(archiveDir: string): Promise<void> {
  for (const run of await deadRuns(archiveDir)) {
    const { journal } = run;
    if (journal?.kind === 'unmatched') continue;
    if (journal?.kind === 'uncommitted') {
      for (const rel of journal.rels) {
        await rm(path.join(archiveDir, rel), { recursive: true, force: true });
        // The letter's and the date's folders too, if the run had made them for this version.
        for (const parent of [path.dirname(rel), path.dirname(path.dirname(rel))]) await rmdir(path.join(archiveDir, parent)).catch(() => undefined);
      }
    }
    if (journal?.kind === 'committed') await completeCatalogue(archiveDir, run.pid);
    for (const name of run.names) {
      const file = path.join(archiveDir, name);
      const info = await lstat(file).catch(() => undefined);
      const kind = temporaryKind(name.slice(`${temporaryPrefix}${run.pid}-`.length));
      if (kind === 'staging' ? info?.isDirectory() : info?.isFile()) await rm(file, { recursive: true, force: true });
    }
  }
}

/** A run killed after its commit point: its staged index.html is put in place, if it is the catalogue the manifests give. */
async function completeCatalogue(archiveDir: string, pid: number): Promise<void> {
  const staged = runFile(archiveDir, pid, catalogueFiles.html);
  const html = await readArchived(staged).catch(() => undefined);
  if (!html) return;
  const entries: CatalogueEntry[] = [];
  for (const version of await listVersions(archiveDir)) {
    const read = await readManifest(version).catch(() => undefined);
    if (!read) return;
    entries.push({ version, manifest: read.manifest, manifestSha256: read.sha256 });
  }
  if (html.toString('utf8') === (await renderCatalogue(entries)).html) await rename(staged, path.join(archiveDir, catalogueFiles.html));
}
