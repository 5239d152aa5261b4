import { constants } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** A file that a child process reads as `path`, while no other process can find it. */
export interface UnnamedFile {
  /** The descriptor to hand to the child (as one of its stdio entries). */
  fd: number;
  /** What the child opens, given the position `childFd` of `fd` in its stdio. */
  pathFor(childFd: number): string;
  close(): Promise<void>;
}

/**
 * Writes `data` to a file that has no name on disk: it is created (readable by
 * its owner only), unlinked before anything is written to it, and passed to the
 * child as an open descriptor, which it opens again as /dev/fd/N. So a plaintext
 * copy or a password never appears in a folder, and a kill -9 at any point
 * leaves nothing behind (the system frees the file with its last descriptor).
 * On Linux it is made without a name at all (O_TMPFILE), so no other process
 * can open it even in the instant between creating and unlinking it; on a file
 * system without O_TMPFILE, and elsewhere, it is created and then unlinked.
 * Windows cannot unlink an open file: there it keeps its name until close().
 */
export async function unnamedFile(folder: string, data: string | Uint8Array): Promise<UnnamedFile> {
  const file = path.join(folder, `.unnamed-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const nameless = await withoutName(folder);
  const handle = nameless ?? (await open(file, 'wx+', 0o600));
  const named = process.platform === 'win32';
  try {
    if (!named && !nameless) await rm(file);
    await handle.writeFile(data);
  } catch (error) {
    await handle.close();
    await rm(file, { force: true });
    throw error;
  }
  return {
    fd: handle.fd,
    pathFor: (childFd) => (named ? file : `/dev/fd/${childFd}`),
    close: async () => {
      await handle.close();
      if (named) await rm(file, { force: true });
    },
  };
}

/** Linux's O_TMPFILE (not in Node's constants): a file in `folder` that never has a name. */
const O_TMPFILE = 0o20000000 | constants.O_DIRECTORY;

async function withoutName(folder: string): Promise<FileHandle | undefined> {
  if (process.platform !== 'linux') return undefined;
  return open(folder, O_TMPFILE | constants.O_RDWR, 0o600).catch(() => undefined);
}
