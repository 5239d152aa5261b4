import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Profile } from '../config/page-setup.ts';
import { type ExitCode, LetterpressError } from '../common/errors.ts';
import type { SignOptions } from '../sign/sign-pdf.ts';
import type { Permission } from '../config/permissions.ts';
import { reached } from '../write/commit-point.ts';
import type { Passwords } from './encrypt-copy.ts';
import type { MailingBlock, MailingPart } from './mailing-segment.ts';
import type { CopyRecipient, StampSetup } from './stamp-copy.ts';

/**
 * How each copy is signed. Made in worker threads, so plain data only: the
 * time-stamp authority by its URL (the one the user named), not a function.
 */
export type CopySigning = Omit<SignOptions, 'time' | 'timestamp'> & { tsa?: string };

/** What every worker is given once. */
export interface CopyJob {
  letterPdf: Uint8Array;
  profile: Profile;
  /** The stamp face cut to every character of the distribution (stamp-font.ts). */
  distributionFont: Uint8Array;
  /** The labels and the recipient line's place, the same in every copy. */
  stamp: StampSetup;
  staging: string;
  permissions: readonly Permission[];
  sign?: CopySigning;
  /** Whether copies wait for another process (qpdf) or a time-stamp authority. */
  waits: boolean;
}

/** One copy to make. */
export interface CopyTask {
  index: number;
  recipient: CopyRecipient;
  /** File name inside the staging folder. */
  file: string;
  passwords?: Passwords;
  /** Its part of the mailing job, numbered in this block. */
  mailing?: MailingBlock;
}

export interface CopyDone {
  sha256: string;
  mailing?: MailingPart;
}

export interface CopyFailure {
  message: string;
  stack?: string;
  exitCode?: ExitCode;
}

export type WorkerAnswer = { index: number; done: CopyDone } | { index: number; error: CopyFailure };

/** A copy that failed in its worker with a LetterpressError: the same message and exit code. */
class CopyError extends LetterpressError {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

/**
 * The worker's code: the bundle's own `copy-worker.mjs` beside the chunk this
 * is in, or, run from source, this folder's copy-worker.ts loaded through
 * tsx's hooks, registered in the thread first (a worker does not inherit the
 * main thread's).
 */
function startWorker(job: CopyJob): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./copy-worker.mjs', import.meta.url), { workerData: job });
  const tsx = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx')), 'esm/api/index.mjs')).href;
  const entry = new URL('./copy-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`, { eval: true, workerData: job });
}

/** How the pool was used: its workers, and the share of its time each was busy (not waiting for work or for the disk), on average. */
export interface PoolUse {
  workers: number;
  busy: number;
}

/**
 * Copies given to a worker at once: a quarter of each worker's share of what
 * is left, at most 16 (guided scheduling). A large distribution costs one
 * message per batch instead of one per copy, and its workers finish together;
 * a small one is given out copy by copy.
 */
function batchSize(left: number, workers: number): number {
  return Math.max(1, Math.min(16, Math.ceil(left / (4 * workers))));
}

/**
 * Makes the copies on every core: one worker per core, each given the next
 * batch as soon as it has started on its last one. `onDone` is called in the
 * order the copies finish. The first failure stops the pool (the workers are
 * ended) and is thrown; so does the signal.
 */
export async function runCopies(job: CopyJob, tasks: CopyTask[], onDone: (task: CopyTask, done: CopyDone) => void, signal?: AbortSignal): Promise<PoolUse> {
  const count = Math.max(1, Math.min(tasks.length, os.availableParallelism()));
  const workers: Worker[] = [];
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      let failed = false;
      const fail = (error: Error): void => {
        failed = true;
        reject(error);
      };
      signal?.addEventListener('abort', () => fail(new Error('interrupted')), { once: true });
      // Settled unless a test holds the run where a copy was made: no worker is given more meanwhile.
      let held: Promise<void> = Promise.resolve();
      const give = (worker: Worker): void => {
        if (failed || next >= tasks.length) return;
        const batch = tasks.slice(next, (next += batchSize(tasks.length - next, count)));
        worker.postMessage(batch);
      };
      for (let i = 0; i < count; i++) {
        const worker = startWorker(job);
        workers.push(worker);
        let started = false;
        worker.on('error', fail);
        worker.on('exit', (code) => !failed && finished < tasks.length && fail(new Error(`a copy worker stopped (exit ${code})`)));
        worker.on('message', (message: WorkerAnswer | 'ready') => {
          if (message === 'ready') {
            if (!started) return ((started = true), give(worker));
            return void held.then(() => give(worker));
          }
          if ('error' in message) {
            const { error } = message;
            // A failure the user can act on names the copy it happened on.
            const copy = tasks[message.index]?.recipient.id;
            return fail(error.exitCode === undefined ? Object.assign(new Error(error.message), { stack: error.stack }) : new CopyError(`copy ${copy}: ${error.message}`, error.exitCode));
          }
          const task = tasks[message.index];
          if (!task || failed) return;
          onDone(task, message.done);
          held = reached('distribute.copy-made') ?? held;
          if (++finished === tasks.length) resolve();
        });
      }
    });
    const busy = workers.map((w) => w.performance.eventLoopUtilization().utilization);
    return { workers: workers.length, busy: busy.reduce((a, b) => a + b, 0) / busy.length };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
