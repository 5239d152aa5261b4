/**
 * A worker thread that makes copies: it prepares the printed letter and the
 * stamp's face once and then, per recipient, cuts the stamp font, writes the
 * copy's own objects after the shared ones, signs or encrypts it when asked,
 * writes it into the staging folder and answers with its SHA-256 (and its
 * part of the mailing job). It is given copies in batches; when copies wait
 * for another process, it works on two at a time.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, renameSync, writevSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { LetterpressError } from '../common/errors.ts';
import { signPdf } from '../sign/sign-pdf.ts';
import { requestTimestamp } from '../sign/timestamp.ts';
import type { CopyDone, CopyFailure, CopyJob, CopyTask, WorkerAnswer } from './copy-pool.ts';
import { encryptCopy } from './encrypt-copy.ts';
import { mailingSegment } from './mailing-segment.ts';
import { prepareLetter } from './prepared-letter.ts';
import { copyObjects, copyTail, stampCharacters } from './stamp-copy.ts';
import { StampFace } from './stamp-font.ts';

const job = workerData as CopyJob;
const [letter, face] = await Promise.all([prepareLetter(job.letterPdf, job.profile), StampFace.of(job.distributionFont)]);
const baseHash = createHash('sha256').update(letter.base);

async function makeCopy(task: CopyTask): Promise<CopyDone> {
  const { recipient } = task;
  const font = await face.cut(stampCharacters(job.stamp, recipient));
  const tail = copyTail(letter, copyObjects(letter, recipient, face, font, job.stamp, letter.next), recipient);
  let parts: Uint8Array[] = [letter.base, tail];
  if (job.sign) {
    const { tsa, ...sign } = job.sign;
    const timestamp = tsa === undefined ? undefined : (value: Buffer) => requestTimestamp(tsa, value);
    parts = [await signPdf(Buffer.concat(parts), { ...sign, time: new Date(), timestamp })];
  }
  // Encrypted in memory: the plaintext copy reaches qpdf through a file with no name.
  if (task.passwords) parts = [await encryptCopy(Buffer.concat(parts), task.passwords, job.staging, job.permissions)];
  // Written under a temporary name and renamed: the staging folder holds whole copies only.
  // Synchronously: a copy is written into the page cache in a fraction of a millisecond, less than
  // four round trips through the thread pool the two workers share, and this thread has nothing else to do.
  const target = path.join(job.staging, task.file);
  const file = openSync(`${target}.part`, 'wx');
  try {
    // One writev writes it all to a local file, but a short write must not pass for a whole copy.
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    const written = writevSync(file, parts);
    if (written !== length) throw new Error(`wrote ${written} of ${length} bytes of ${task.file}`);
  } finally {
    closeSync(file);
  }
  renameSync(`${target}.part`, target);
  const sha256 = (parts.length === 2 ? baseHash.copy().update(tail) : createHash('sha256').update(parts[0]!)).digest('hex');
  const mailing = task.mailing && mailingSegment(letter, recipient, { face, font, setup: job.stamp }, task.mailing);
  return { sha256, mailing };
}

const queue: CopyTask[] = [];
/** Copies being made at once: two when a copy waits for qpdf or a time-stamp authority (the other is made meanwhile), else one. */
const lanes = job.waits ? 2 : 1;
let busy = 0;

/** Takes copies from the queue while a lane is free; asks for more as soon as the queue is empty. */
function work(): void {
  while (busy < lanes && queue.length > 0) {
    const task = queue.shift()!;
    busy++;
    if (queue.length === 0) parentPort?.postMessage('ready');
    makeCopy(task)
      .then(
        (done) => parentPort?.postMessage({ index: task.index, done } satisfies WorkerAnswer),
        (error: unknown) => parentPort?.postMessage({ index: task.index, error: failure(error) } satisfies WorkerAnswer),
      )
      .finally(() => {
        busy--;
        work();
      });
  }
}

parentPort?.on('message', (tasks: CopyTask[]) => {
  queue.push(...tasks);
  work();
});
parentPort?.postMessage('ready');

/** An error as it crosses to the main thread: a LetterpressError keeps its exit code (its class does not survive the copy). */
function failure(error: unknown): CopyFailure {
  if (!(error instanceof Error)) return { message: String(error) };
  return { message: error.message, stack: error.stack, ...(error instanceof LetterpressError && { exitCode: error.exitCode }) };
}
