import { readdir } from 'node:fs/promises';

/** Whether a process with this pid exists (a lock or temporary file of a pid that does not was left by a crash). */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The entries of `folder` named `<prefix><pid>…` whose process is gone: the
 * temporaries of runs that were killed before they could clean up.
 */
export async function abandonedEntries(folder: string, prefix: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => []);
  return names.filter((name) => {
    if (!name.startsWith(prefix)) return false;
    const pid = Number(/^\d+/.exec(name.slice(prefix.length))?.[0]);
    return pid !== process.pid && !isRunning(pid);
  });
}
