import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { lstat, open, realpath, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../load/is-inside.ts';
import { describeFileSystemError, FileSystemError } from './file-system-error.ts';
import { syncDirectory, temporaryFor } from './write-atomic.ts';

/** A file read to be replaced: where its bytes really are (a link resolved), what they were, and its state then. */
export interface ReadToReplace {
  /** The path as the user named it, for messages. */
  shown: string;
  real: string;
  bytes: Buffer;
  info: Stats;
}

/**
 * Reads a file that is to be rewritten in place (`lint --fix`). Through a
 * symbolic link, the link's target is what changes, and only when it lies
 * inside the project: a link is never replaced by a copy, and nothing outside
 * the project is written.
 */
export async function readToReplace(file: string, shown: string, project: string): Promise<ReadToReplace> {
  return withOneLine(shown, async () => {
    const real = await realpath(file);
    if ((await lstat(file)).isSymbolicLink() && !isInside(await realpath(project), real)) {
      throw new FileSystemError(`${shown} is a symbolic link to ${real}, outside the project: nothing was changed; fix the file itself, or copy it into the project`);
    }
    const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return { shown, real, info: await handle.stat(), bytes: await handle.readFile() };
    } finally {
      await handle.close();
    }
  });
}

/**
 * Replaces the file read by `readToReplace` with `data`: written in full to a
 * temporary beside it with the file's mode, owner and group, then renamed over
 * it, but only if the file still is as it was read (same inode, size, mtime and
 * bytes), checked just before the rename: an edit saved meanwhile (an editor's
 * autosave) is never lost; the command refuses instead, and nothing changes.
 */
export async function replaceFile(read: ReadToReplace, data: string): Promise<void> {
  const temporary = temporaryFor(read.real);
  await withOneLine(read.shown, async () => {
    try {
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(data);
        // Set explicitly: the umask would narrow the mode, and a new file belongs to whoever runs letterpress.
        await handle.chmod(read.info.mode & 0o7777);
        const made = await handle.stat();
        if (made.uid !== read.info.uid || made.gid !== read.info.gid) await handle.chown(read.info.uid, read.info.gid);
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (!(await unchangedSince(read))) {
        throw new FileSystemError(`${read.shown} changed while \`lint --fix\` ran (saved by an editor?): nothing was written; run it again`);
      }
      await rename(temporary, read.real);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await syncDirectory(path.dirname(read.real));
  });
}

async function unchangedSince(read: ReadToReplace): Promise<boolean> {
  const now = await lstat(read.real).catch(() => undefined);
  if (!now?.isFile() || now.ino !== read.info.ino || now.size !== read.info.size || now.mtimeMs !== read.info.mtimeMs) return false;
  const handle = await open(read.real, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return (await handle.readFile()).equals(read.bytes);
  } finally {
    await handle.close();
  }
}

/** A file-system failure (EPERM, EACCES, EROFS, ENOSPC…) as one line naming the file the user named; anything else passes. */
async function withOneLine<T>(shown: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof FileSystemError) throw error;
    // Named as the user named it, not by the temporary or the link's target the error carries.
    const reason = describeFileSystemError(error instanceof Error ? Object.assign(new Error(error.message), { code: (error as NodeJS.ErrnoException).code }) : error, shown);
    if (reason === undefined) throw error;
    throw new FileSystemError(`cannot fix ${reason}`);
  }
}
