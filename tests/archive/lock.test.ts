import { spawnSync } from 'node:child_process';
import { access, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArchiveBusyError, withArchiveLock } from '../../src/archive/lock.ts';

const tempArchive = (): Promise<string> => mkdtemp(path.join(os.tmpdir(), 'letterpress-lock-'));
/** The pid of a process that has ended. */
const deadPid = (): number => spawnSync('true').pid!;

describe('the archive lock', () => {
  it('is held during the work and removed after it, even when the work fails', async () => {
    const archive = await tempArchive();
    await withArchiveLock(archive, async () => {
      await access(path.join(archive, '.lock'));
    });
    await expect(withArchiveLock(archive, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await readdir(archive)).toEqual([]);
  });

  it('runs two holders one after the other, never together', async () => {
    const archive = await tempArchive();
    const events: string[] = [];
    const hold = (name: string) =>
      withArchiveLock(archive, async () => {
        events.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 200));
        events.push(`${name} out`);
      });
    await Promise.all([hold('a'), hold('b')]);
    expect(events.join(' ')).toMatch(/^(a in a out b in b out|b in b out a in a out)$/);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const archive = await tempArchive();
    await writeFile(path.join(archive, '.lock'), `${deadPid()} stale\n`);
    expect(await withArchiveLock(archive, async () => 'ran', { timeoutMs: 1000 })).toBe('ran');
    expect(await readdir(archive)).toEqual([]);
  });

  it('waits for a live holder and gives up with ArchiveBusyError', async () => {
    const archive = await tempArchive();
    // This test process is alive: its pid holds the lock.
    await writeFile(path.join(archive, '.lock'), `${process.pid} other\n`);
    await expect(withArchiveLock(archive, async () => 'ran', { timeoutMs: 300 })).rejects.toBeInstanceOf(ArchiveBusyError);
    expect((await readdir(archive)).sort()).toEqual(['.lock']);
  });
});
