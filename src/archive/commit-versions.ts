import { mkdir, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { recordedManifests } from './catalogue.ts';
import { catalogueFiles, manifestName, temporaryPrefix } from './layout.ts';
import { isRunning } from '../process-alive.ts';
import { writeDurably } from '../write/write-atomic.ts';
import { sha256Of } from './manifest.ts';

/** A version written complete into a temporary folder of the archive, to be renamed to `rel`. */
export interface StagedVersion {
  staging: string;
  rel: string;
  manifestSha256: string;
}

/** What a run is about to rename into place: written before the first rename, removed after the last. */
const journalSchema = z.strictObject({ versions: z.array(z.strictObject({ rel: z.string(), manifestSha256: z.string() })) });
type Journal = z.infer<typeof journalSchema>;

const journalPattern = new RegExp(`^${temporaryPrefix.replace('.', '\\.')}(\\d+)-journal\\.json$`);
const stagedCatalogue = (archiveDir: string, pid: number, name: string): string => path.join(archiveDir, `${temporaryPrefix}${pid}-${name}`);

/**
 * Puts staged versions and the new catalogue in place. index.json is the
 * commit point: a run killed before it is rolled back by the next run (the
 * versions it renamed are removed), one killed after it is completed
 * (index.html put in place). The journal says which versions those are.
 */
export async function commitVersions(archiveDir: string, staged: StagedVersion[], catalogue: { json: string; html: string }): Promise<void> {
  const { pid } = process;
  await writeDurably(stagedCatalogue(archiveDir, pid, catalogueFiles.json), catalogue.json);
  await writeDurably(stagedCatalogue(archiveDir, pid, catalogueFiles.html), catalogue.html);
  const journal: Journal = { versions: staged.map(({ rel, manifestSha256 }) => ({ rel, manifestSha256 })) };
  await writeDurably(path.join(archiveDir, `${temporaryPrefix}${pid}-journal.json`), JSON.stringify(journal));
  for (const version of staged) {
    await mkdir(path.dirname(path.join(archiveDir, version.rel)), { recursive: true });
    await rename(version.staging, path.join(archiveDir, version.rel));
    await testPause();
  }
  await rename(stagedCatalogue(archiveDir, pid, catalogueFiles.json), path.join(archiveDir, catalogueFiles.json));
  await testPause();
  await rename(stagedCatalogue(archiveDir, pid, catalogueFiles.html), path.join(archiveDir, catalogueFiles.html));
  await rm(path.join(archiveDir, `${temporaryPrefix}${pid}-journal.json`));
}

/** LETTERPRESS_ARCHIVE_PAUSE_MS: a pause after each file and each rename of a run, only so tests can kill it at any point. */
export async function testPause(): Promise<void> {
  const ms = Number(process.env.LETTERPRESS_ARCHIVE_PAUSE_MS);
  if (ms > 0) await sleep(ms);
}

/** Runs that died (crash, kill, Ctrl-C): the pid of each temporary file or folder at the archive's top, if gone (or us: a pid can be reused). */
function deadRun(name: string): number | undefined {
  const pid = leftoverPid(name);
  return pid !== undefined && (pid === process.pid || !isRunning(pid)) ? pid : undefined;
}

/** The pid in the name of a temporary file or folder of an archive run. */
export function leftoverPid(name: string): number | undefined {
  const match = new RegExp(`^${temporaryPrefix.replace('.', '\\.')}(\\d+)-|\\.(\\d+)\\.tmp$`).exec(name);
  return match ? Number(match[1] ?? match[2]) : undefined;
}

/**
 * The versions a dead run renamed into place without committing them (its
 * journal names them and index.json does not list them), with their manifests'
 * hashes as the journal has them. Versions that hash otherwise are not its own.
 */
export async function uncommittedVersions(archiveDir: string): Promise<{ rels: string[]; committed: number[] }> {
  const rels: string[] = [];
  const committed: number[] = [];
  const listed = (await recordedManifests(archiveDir)) ?? new Map<string, string>();
  for (const name of await readdir(archiveDir)) {
    const pid = journalPattern.test(name) ? deadRun(name) : undefined;
    if (pid === undefined) continue;
    const journal = journalSchema.safeParse(await readFile(path.join(archiveDir, name), 'utf8').then(JSON.parse, () => undefined));
    // A journal cut short was being written: nothing was renamed yet.
    if (!journal.success) continue;
    if (journal.data.versions.every((v) => listed.get(`${v.rel}/${manifestName}`) === v.manifestSha256)) {
      committed.push(pid);
      continue;
    }
    for (const v of journal.data.versions) {
      const bytes = await readFile(path.join(archiveDir, v.rel, manifestName)).catch(() => undefined);
      if (bytes && sha256Of(bytes) === v.manifestSha256) rels.push(v.rel);
    }
  }
  return { rels, committed };
}

/**
 * Under the lock, before anything else: rolls back what dead runs renamed
 * without committing, completes what they committed, and removes their
 * temporary files and folders. The archive is then as the last completed run left it.
 */
export async function recoverInterrupted(archiveDir: string): Promise<void> {
  const { rels, committed } = await uncommittedVersions(archiveDir);
  for (const rel of rels) {
    await rm(path.join(archiveDir, rel), { recursive: true, force: true });
    // The letter's and the date's folders too, if the run had made them for this version.
    for (const parent of [path.dirname(rel), path.dirname(path.dirname(rel))]) await rmdir(path.join(archiveDir, parent)).catch(() => undefined);
  }
  for (const pid of committed) {
    await rename(stagedCatalogue(archiveDir, pid, catalogueFiles.html), path.join(archiveDir, catalogueFiles.html)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  for (const name of await readdir(archiveDir)) {
    if (deadRun(name) !== undefined) await rm(path.join(archiveDir, name), { recursive: true, force: true });
  }
}
