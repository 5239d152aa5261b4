import { mkdtemp, readdir, readlink, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { abandonedEntries, isRunning } from '../common/process-alive.ts';

/** Chromium's profile folder for this run: the pid names its owner, so a later run can tell when it is abandoned. */
const ownPrefix = 'letterpress-chromium-';
/** Where Puppeteer puts a profile when it is given none (letterpress before it had its own). */
const puppeteerPrefix = 'puppeteer_dev_chrome_profile-';

/**
 * Best effort: a folder of another user's run may not be ours to remove. Retried, because a
 * Chromium helper of a killed run can still be writing into it while it dies (ENOTEMPTY).
 */
export const removeProfile = (folder: string): Promise<void> => rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }).catch(() => undefined);

export function newProfileFolder(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `${ownPrefix}${process.pid}-`));
}

/** Whether the Chromium that holds `folder` still runs: it keeps `SingletonLock` → `<host>-<pid>` there while it does. */
async function lockedByLiveBrowser(folder: string): Promise<boolean | undefined> {
  const lock = await readlink(path.join(folder, 'SingletonLock')).catch(() => undefined);
  if (lock === undefined) return undefined;
  return !lock.startsWith(`${os.hostname()}-`) || isRunning(Number(lock.slice(lock.lastIndexOf('-') + 1)));
}

/**
 * Removes the profile folders of runs that were killed (kill -9 leaves no
 * chance to clean up): ours whose run is gone, and Puppeteer's whose Chromium is
 * gone, unless their Chromium still runs (it outlives a killed run by a moment,
 * still writing there: the next run removes the folder). A Puppeteer folder
 * without a lock that has not changed for a minute belongs to a browser that has exited.
 */
export async function removeAbandonedProfiles(): Promise<void> {
  const tmp = os.tmpdir();
  const ours = await abandonedEntries(tmp, ownPrefix);
  const puppeteers = (await readdir(tmp).catch(() => [])).filter((name) => name.startsWith(puppeteerPrefix));
  const abandoned = await Promise.all(
    [...ours, ...puppeteers].map(async (name) => {
      const folder = path.join(tmp, name);
      const live = await lockedByLiveBrowser(folder);
      if (live !== undefined || name.startsWith(ownPrefix)) return live !== true;
      const changed = (await stat(folder).catch(() => undefined))?.mtimeMs ?? Date.now();
      return Date.now() - changed > 60_000;
    }),
  );
  await Promise.all([...ours, ...puppeteers].filter((_, i) => abandoned[i]).map((name) => removeProfile(path.join(tmp, name))));
}
