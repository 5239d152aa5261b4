import os from 'node:os';
import { defineConfig } from 'vitest/config';

// Vitest's default (one worker fewer than the cores) runs one file at a time on a 2-core machine; the tests wait on
// child processes (openssl, qpdf, Chromium) often enough that two at a time keep both cores busy.
const workers = Math.max(2, os.availableParallelism() - 1);

/**
 * Two lanes. `unit`: every test that needs no browser (`*.test.ts`), fast, and
 * guarded: Chromium cannot start there (the executable path leads nowhere).
 * `e2e`: real PDFs printed by Chromium (`*.e2e.test.ts`), after a global set-up
 * that builds the memo once. `npm test` runs both; `npm run test:unit` the first.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // One module graph per worker rather than per file: loading unified, KaTeX and pdf-lib again for each of 40 files was most of the lane's time.
          pool: 'threads',
          isolate: false,
          maxWorkers: workers,
          // Lanes with their own number of workers run one after the other: the unit lane first.
          sequence: { groupOrder: 0 },
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/**/*.e2e.test.ts'],
          env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/the-unit-lane-starts-no-browser' },
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 1 },
          maxWorkers: workers,
          include: ['tests/**/*.e2e.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          // End-to-end tests print real PDFs with Chromium; give them room on a 2-core machine.
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
