import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { abandonedEntries } from '../../src/common/process-alive.ts';

describe('abandonedEntries', () => {
  it('names the temporaries of dead pids only, and never an entry that merely shares the prefix', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-abandoned-'));
    // 2^22 + 1 is above Linux's largest pid: no process has it.
    const dead = 4194305;
    for (const name of [`tmp-${dead}-abc`, `tmp-${dead}.x`, `tmp-${process.pid}-abc`, `tmp-${process.ppid}-abc`, 'tmp-test-abc', `tmp-${dead}abc`, `other-${dead}-abc`]) {
      await mkdir(path.join(dir, name));
    }
    expect((await abandonedEntries(dir, 'tmp-')).sort()).toEqual([`tmp-${dead}-abc`, `tmp-${dead}.x`]);
  });
});
