import { open, rm } from 'node:fs/promises';
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
 * Windows cannot unlink an open file: there it keeps its name until close().
 */
export async function unnamedFile(folder: string, data: string | Uint8Array): Promise<UnnamedFile> {
  const file = path.join(folder, `.unnamed-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const handle = await open(file, 'wx+', 0o600);
  const named = process.platform === 'win32';
  try {
    if (!named) await rm(file);
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
