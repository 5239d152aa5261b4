import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { commitPoints, reached, type CommitPointMessage } from '../../src/write/commit-point.ts';

describe('commit points', () => {
  it('publish nothing and hold nothing without a subscriber', () => {
    expect(reached('write.temporary')).toBeUndefined();
  });

  it('are published on their own channel, and the run waits for the hold a subscriber puts on it', async () => {
    const seen: CommitPointMessage[] = [];
    let release = (): void => undefined;
    const onMessage = (message: unknown): void => {
      const m = message as CommitPointMessage;
      seen.push(m);
      m.hold = new Promise((resolve) => (release = resolve));
    };
    subscribe(commitPoints['archive.staged-file'], onMessage);
    try {
      expect(reached('write.temporary')).toBeUndefined();
      let passed = false;
      const run = Promise.resolve(reached('archive.staged-file')).then(() => (passed = true));
      expect(seen.map((m) => m.point)).toEqual(['archive.staged-file']);
      await new Promise((resolve) => setImmediate(resolve));
      expect(passed).toBe(false);
      release();
      await run;
      expect(passed).toBe(true);
    } finally {
      unsubscribe(commitPoints['archive.staged-file'], onMessage);
    }
  });
});
