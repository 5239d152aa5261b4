import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** The temporary a file is written to before it is renamed into place: beside it, marked with the writer's pid so the next run can tell a dead writer's leftovers. */
export function temporaryFor(target: string, pid = process.pid): string {
  return `${target}.${pid}.tmp`;
}

/** The pid in a temporary's name (see temporaryFor), if `name` is one. */
export function temporaryPid(name: string): number | undefined {
  const match = /\.(\d+)\.tmp$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * Writes `data` to `file` and makes it durable (fsync) before returning.
 * `wx` by default: a file that exists is never overwritten.
 */
export async function writeDurably(file: string, data: string | Uint8Array, options: { flag?: 'wx' | 'w'; mode?: number } = {}): Promise<void> {
  const handle = await open(file, options.flag ?? 'wx', options.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename or a new file in `dir` durable (the directory entry itself is synced). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems (and Windows) cannot sync a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}

/**
 * The project's one way to replace a file: written in full and synced to a
 * temporary beside the target, then renamed over it. A reader sees the old
 * file or the new one, never half of one; a failure removes the temporary.
 */
export async function writeAtomic(target: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const temporary = temporaryFor(target);
  try {
    await writeDurably(temporary, data, { flag: 'w', mode: options.mode });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(path.dirname(target));
}
