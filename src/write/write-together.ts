import { lstat, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { exitCodes, LetterpressError } from '../common/errors.ts';
import { isRunning } from '../common/process-alive.ts';
import { reached } from './commit-point.ts';
import { syncDirectory, temporaryFor, temporaryPid, writeAtomic, writeDurably } from './write-atomic.ts';

export interface OutputFile {
  path: string;
  data: string | Uint8Array;
}

/** The journal of one commit: the renames that put its files in place. Its presence means every temporary it names is complete. */
const journalPrefix = '.letterpress-journal.';

/**
 * Writes a set of files into one folder so that they change together: all of
 * them, or (after a failure, an interruption or a kill) none. Each file is
 * written in full and synced to a temporary; then a journal naming the renames
 * is written atomically; then the renames run and the journal is removed. A
 * run that dies before the journal leaves only temporaries, which the next
 * run removes; one that dies after it leaves a journal, which the next run
 * completes. Either way, earlier outputs are never mixed with new ones.
 * An aborted `signal` before the journal undoes the write (the journal is the commit point).
 */
export async function writeTogether(dir: string, files: OutputFile[], signal?: AbortSignal): Promise<void> {
  await mkdir(dir, { recursive: true });
  await recoverFolder(dir);
  const written: string[] = [];
  try {
    for (const file of files) {
      if (path.dirname(path.resolve(file.path)) !== path.resolve(dir)) throw new Error(`${file.path} is not in ${dir}`);
      const temporary = temporaryFor(file.path);
      written.push(temporary);
      await writeDurably(temporary, file.data, { flag: 'w' });
      await reached('write.temporary');
      signal?.throwIfAborted();
    }
  } catch (error) {
    await Promise.all(written.map((t) => rm(t, { force: true })));
    throw error;
  }
  const journal = path.join(dir, `${journalPrefix}${process.pid}.json`);
  await writeAtomic(journal, JSON.stringify(files.map((f) => path.basename(f.path))));
  await finish(dir, journal, process.pid);
}

/** A journal names outputs of its own folder by their file names: `<slug>.html`, `<slug>.pdf`, `<slug>.print.pdf`, `<slug>.pdfx.pdf`. */
const journalSchema = z.array(z.string().regex(/^[^/\\]+\.(html|pdf)$/).refine((name) => !name.startsWith('.'), 'a hidden file'));

/** A folder holds an unfinished write that does not look like letterpress's own: refused, nothing touched. */
export class UnfinishedWriteError extends LetterpressError {
  readonly exitCode = exitCodes.failed.code;
}

/**
 * Completes the renames a journal names (those whose temporary, a regular
 * file, is still there), then removes it. The names are checked first: only
 * output files of this very folder, never a path read from the journal.
 */
async function finish(dir: string, journal: string, pid: number): Promise<void> {
  // Written atomically by writeTogether: one that is not such a list is not letterpress's own.
  const names = journalSchema.safeParse(
    await readFile(journal, 'utf8')
      .then((text) => JSON.parse(text) as unknown)
      .catch(() => undefined),
  );
  if (!names.success) {
    throw new UnfinishedWriteError(
      `${journal}: a journal of an unfinished write that letterpress cannot complete (it names files that are not outputs of ${dir}); nothing was changed: find out how it came here, then remove it`,
    );
  }
  for (const name of names.data) {
    const target = path.join(dir, name);
    const temporary = temporaryFor(target, pid);
    if (!(await lstat(temporary).catch(() => undefined))?.isFile()) continue;
    await rename(temporary, target);
  }
  await syncDirectory(dir);
  await rm(journal, { force: true });
}

/**
 * What a dead run left in `dir`: its journal is completed (the new outputs
 * were all written), its stray temporaries are removed (they were not).
 * Files of a live run (another build at this moment) are left alone. Run at
 * the start of every command that reads or writes the folder, so none sees
 * old and new outputs mixed; a journal that is not letterpress's own is refused
 * (UnfinishedWriteError) and left as it is.
 */
export async function recoverFolder(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const dead = (pid: number | undefined): pid is number => pid !== undefined && (pid === process.pid || !isRunning(pid));
  for (const name of names.filter((n) => n.startsWith(journalPrefix))) {
    const pid = Number(name.slice(journalPrefix.length, -'.json'.length));
    if (dead(pid)) await finish(dir, path.join(dir, name), pid);
  }
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const isFile = async (): Promise<boolean> => (await lstat(path.join(dir, name)).catch(() => undefined))?.isFile() === true;
    if (/\.(pdf|html|json)\.\d+\.tmp$/.test(name) && dead(temporaryPid(name)) && (await isFile())) await rm(path.join(dir, name), { force: true });
  }
}
