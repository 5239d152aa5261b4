import { mkdtemp, readdir, readlink, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Chromium's profile folder for this run: the pid names its owner, so a later run can tell when it is abandoned. */
const ownPrefix = 'letterpress-chromium-';
/** Where Puppeteer puts a profile when it is given none (letterpress before it had its own). */
const puppeteerPrefix = 'puppeteer_dev_chrome_profile-';

/** Best effort: a folder of another user's run may not be ours to remove. */
const discard = (folder: string): Promise<void> => rm(folder, { recursive: true, force: true }).catch(() => undefined);

export function newProfileFolder(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `${ownPrefix}${process.pid}-`));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the profile folders of runs that were killed (kill -9 leaves no
 * chance to clean up): ours whose run is gone, and Puppeteer's whose Chromium is
 * gone. Chromium holds `SingletonLock` → `<host>-<pid>` while it runs; a folder
 * without one that has not changed for a minute belongs to a browser that has exited.
 */
export async function removeAbandonedProfiles(): Promise<void> {
  const tmp = os.tmpdir();
  const names = await readdir(tmp).catch(() => []);
  await Promise.all(
    names.map(async (name) => {
      const folder = path.join(tmp, name);
      if (name.startsWith(ownPrefix)) {
        const pid = Number(name.slice(ownPrefix.length).split('-')[0]);
        if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) await discard(folder);
      } else if (name.startsWith(puppeteerPrefix)) {
        const lock = await readlink(path.join(folder, 'SingletonLock')).catch(() => undefined);
        const owner = lock === undefined ? undefined : Number(lock.slice(lock.lastIndexOf('-') + 1));
        const abandoned = owner === undefined ? Date.now() - ((await stat(folder).catch(() => undefined))?.mtimeMs ?? Date.now()) > 60_000 : lock?.startsWith(`${os.hostname()}-`) && !isAlive(owner);
        if (abandoned) await discard(folder);
      }
    }),
  );
}
