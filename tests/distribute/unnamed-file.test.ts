import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unnamedFile } from '../../src/distribute/unnamed-file.ts';

describe('unnamedFile', () => {
  it('holds its data for a child that reads the descriptor, and never has a name in its folder', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'letterpress-unnamed-'));
    const file = await unnamedFile(folder, 'plaintext of a copy');
    try {
      expect(await readdir(folder)).toEqual([]);
      const read = spawnSync('cat', [file.pathFor(3)], { stdio: ['ignore', 'pipe', 'pipe', file.fd], encoding: 'utf8' });
      expect(read.stdout).toBe('plaintext of a copy');
      if (process.platform === 'linux') {
        // Made without a name (O_TMPFILE): the kernel names it by its inode, not by a file name it once had.
        const target = await readlink(`/proc/self/fd/${file.fd}`);
        expect(target).toMatch(/ \(deleted\)$/);
        expect(target).not.toContain('.unnamed-');
      }
    } finally {
      await file.close();
      await rm(folder, { recursive: true });
    }
  });
});
