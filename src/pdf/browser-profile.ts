import { mkdtemp, readdir, readlink, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { abandonedEntries, isRunning } from '../process-alive.ts';

/** Chromium's profile folder for this run: the pid names its owner, so a later run can tell when it is abandoned. */
const ownPrefix = 'letterpress-chromium-';
/** Where Puppeteer puts a profile when it is given none (letterpress before it had its own). */
const puppeteerPrefix = 'puppeteer_dev_chrome_profile-';

/** Best effort: a folder of another user's run may not be ours to remove. */
const discard = (folder: string): Promise<void> => rm(folder, { recursive: true, force: true }).catch(() => undefined);

export function newProfileFolder(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `${ownPrefix}${process.pid}-`));
}

/**
 * Removes the profile folders of runs that were killed (kill -9 leaves no
 * chance to clean up): ours whose run is gone, and Puppeteer's whose Chromium is
 * gone. Chromium holds `SingletonLock` → `<host>-<pid>` while it runs; a folder
 * without one that has not changed for a minute belongs to a browser that has exited.
 */
export async function removeAbandonedProfiles(): Promise<void> {
  const tmp = os.tmpdir();
  const ours = await abandonedEntries(tmp, ownPrefix);
  const puppeteers = (await readdir(tmp).catch(() => [])).filter((name) => name.startsWith(puppeteerPrefix));
  const abandoned = await Promise.all(
    puppeteers.map(async (name) => {
      const folder = path.join(tmp, name);
      const lock = await readlink(path.join(folder, 'SingletonLock')).catch(() => undefined);
      if (lock !== undefined) return lock.startsWith(`${os.hostname()}-`) && !isRunning(Number(lock.slice(lock.lastIndexOf('-') + 1)));
      const changed = (await stat(folder).catch(() => undefined))?.mtimeMs ?? Date.now();
      return Date.now() - changed > 60_000;
    }),
  );
  const gone = [...ours, ...puppeteers.filter((_, i) => abandoned[i])];
  await Promise.all(gone.map((name) => discard(path.join(tmp, name))));
}
