import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exitCodes, LetterpressError } from '../common/errors.ts';
import { isRunning } from '../common/process-alive.ts';
import { lockName, temporaryPrefix } from './layout.ts';

/** Another letterpress process held the archive's lock for longer than we were willing to wait. */
export class ArchiveBusyError extends LetterpressError {
  // EX_TEMPFAIL: trying again later will work.
  readonly exitCode = exitCodes.archiveBusy.code;
}

export interface LockOptions {
  /** How long to wait for another process's lock (default 120 s: a whole archive run of several letters). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * Runs `work` while holding `<archive>/.lock`, a file holding the holder's pid.
 * The file is created complete (written aside, then hard-linked into place, which
 * fails if it exists), so a reader never sees an empty lock. A lock whose pid is
 * no longer running was left by a crash or a kill and is taken over.
 */
export async function withArchiveLock<T>(archiveDir: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = 120_000, log } = options;
  await mkdir(archiveDir, { recursive: true });
  const lockPath = path.join(archiveDir, lockName);
  const id = randomUUID();
  const token = `${process.pid} ${id}\n`;
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    const holder = await tryAcquire(archiveDir, lockPath, token, id);
    if (holder === undefined) break;
    if (Date.now() > deadline) throw new ArchiveBusyError(`the archive ${archiveDir} is locked by process ${holder}; try again when it is done`);
    if (!announced) log?.(`lock      waiting for process ${holder}, which holds ${lockPath}`);
    announced = true;
    await sleep(100);
  }
  try {
    return await work();
  } finally {
    // Only our own lock is removed: the file may have been taken over if we were thought dead.
    if ((await readFile(lockPath, 'utf8').catch(() => '')) === token) await unlink(lockPath);
  }
}

/** Takes the lock; otherwise returns the pid that holds it. */
async function tryAcquire(archiveDir: string, lockPath: string, token: string, id: string): Promise<number | undefined> {
  const aside = path.join(archiveDir, `${temporaryPrefix}${process.pid}-lock-${id}`);
  try {
    // Inside the try: a write that fails (a full disk) leaves no file aside either.
    await writeFile(aside, token);
    await link(aside, lockPath);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(aside, { force: true });
  }
  const held = await readFile(lockPath, 'utf8').catch(() => undefined);
  // Released between our attempt and this read: try again at once.
  if (held === undefined) return tryAcquire(archiveDir, lockPath, token, id);
  const pid = Number(held.split(' ')[0]);
  if (isRunning(pid)) return pid;
  await removeStaleLock(archiveDir, lockPath, held, id);
  return tryAcquire(archiveDir, lockPath, token, id);
}

/**
 * Moves the stale lock aside (rename is atomic, so of two processes taking it
 * over only one moves it) and checks that what was moved is the stale lock;
 * if a live process took the lock in between, its file is put back.
 */
async function removeStaleLock(archiveDir: string, lockPath: string, stale: string, id: string): Promise<void> {
  const moved = path.join(archiveDir, `${temporaryPrefix}${process.pid}-stale-lock-${id}`);
  try {
    await rename(lockPath, moved);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((await readFile(moved, 'utf8')) !== stale) await link(moved, lockPath).catch(() => undefined);
  await rm(moved, { force: true });
}
