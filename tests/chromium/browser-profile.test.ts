import { mkdir, mkdtemp, readdir, rm, symlink, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeAbandonedProfiles } from '../../src/chromium/browser-profile.ts';

// 2^22 + 1 is above Linux's largest pid: no process has it.
const dead = 4194305;
const made: string[] = [];

/** A profile folder: letterpress's names its run's pid, Puppeteer's has Chromium's pid in its lock (`browserPid` gives letterpress's one too). */
async function profile(kind: 'letterpress' | 'puppeteer', lockPid?: number, ageMs = 0, browserPid?: number): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), kind === 'letterpress' ? `letterpress-chromium-${lockPid}-` : 'puppeteer_dev_chrome_profile-'));
  made.push(folder);
  await mkdir(path.join(folder, 'Default'));
  const locked = kind === 'puppeteer' ? lockPid : browserPid;
  if (locked !== undefined) await symlink(`${os.hostname()}-${locked}`, path.join(folder, 'SingletonLock'));
  const then = new Date(Date.now() - ageMs);
  await utimes(folder, then, then);
  return path.basename(folder);
}

afterAll(() => Promise.all(made.map((f) => rm(f, { recursive: true, force: true }))));

describe('removeAbandonedProfiles', () => {
  it('removes the profiles of dead runs and dead browsers, and keeps those in use', async () => {
    const gone = [await profile('letterpress', dead), await profile('letterpress', dead, 0, dead), await profile('puppeteer', dead), await profile('puppeteer', undefined, 120_000)];
    // A killed run whose Chromium still runs (it outlives the run by a moment, writing there) keeps its folder until the next run.
    const kept = [await profile('letterpress', process.ppid), await profile('letterpress', dead, 0, process.pid), await profile('puppeteer', process.pid), await profile('puppeteer', undefined, 0)];
    await removeAbandonedProfiles();
    const left = await readdir(os.tmpdir());
    for (const name of gone) expect(left, name).not.toContain(name);
    for (const name of kept) expect(left, name).toContain(name);
  });
});
