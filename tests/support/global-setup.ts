import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureCliBundle } from '../../src/setup/cli-bundle.mjs';
import { runCli } from './run-cli.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    memoOut: string;
  }
}

/** Builds the memo once with the real CLI; the end-to-end tests read its PDF and HTML. */
export default async function setup(project: TestProject): Promise<void> {
  // The bundle the tests' CLI runs is made once here, not raced for by the first test files.
  await ensureCliBundle();
  const out = await mkdtemp(path.join(os.tmpdir(), 'letterpress-memo-'));
  const result = await runCli(['build', 'content/2023-12-llm-observations.md', '--out', out]);
  if (result.code !== 0) throw new Error(`building the memo failed (exit ${result.code}):\n${result.stderr}`);
  project.provide('memoOut', out);
}
