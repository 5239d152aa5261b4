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
    // Only names that go on with a pid and a separator: `<prefix>other-things` belong to someone else.
    const pid = name.startsWith(prefix) ? /^(\d+)(?:[-.]|$)/.exec(name.slice(prefix.length))?.[1] : undefined;
    return pid !== undefined && Number(pid) !== process.pid && !isRunning(Number(pid));
  });
}
