/**
 * A worker thread that makes copies: it prepares the printed letter once and
 * then, per recipient, cuts the stamp font, writes the copy's own objects after
 * the shared ones, signs or encrypts it when asked, writes it into the staging
 * folder and answers with its SHA-256 (and its part of the mailing job).
 */
import { createHash } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
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
import { cutStampFont } from './stamp-font.ts';

const job = workerData as CopyJob;
const letter = await prepareLetter(job.letterPdf, job.profile);
const baseHash = createHash('sha256').update(letter.base);

async function makeCopy(task: CopyTask): Promise<CopyDone> {
  const { recipient } = task;
  const font = await cutStampFont(job.distributionFont, stampCharacters(recipient));
  const tail = copyTail(letter, await copyObjects(letter, recipient, font, letter.next), recipient);
  let parts: Uint8Array[] = [letter.base, tail];
  if (job.sign) {
    const { tsa, ...sign } = job.sign;
    const timestamp = tsa === undefined ? undefined : (value: Buffer) => requestTimestamp(tsa, value);
    parts = [await signPdf(Buffer.concat(parts), { ...sign, time: new Date(), timestamp })];
  }
  // Encrypted in memory: the plaintext copy reaches qpdf through a file with no name.
  if (task.passwords) parts = [await encryptCopy(Buffer.concat(parts), task.passwords, job.staging, job.permissions)];
  // Written under a temporary name and renamed: the staging folder holds whole copies only.
  const target = path.join(job.staging, task.file);
  const file = await open(`${target}.part`, 'wx');
  try {
    await file.writev(parts);
  } finally {
    await file.close();
  }
  await rename(`${target}.part`, target);
  const sha256 = (parts.length === 2 ? baseHash.copy().update(tail) : createHash('sha256').update(parts[0]!)).digest('hex');
  const mailing = task.mailing && (await mailingSegment(letter, recipient, font, task.mailing));
  return { sha256, mailing };
}

parentPort?.on('message', (task: CopyTask) => {
  makeCopy(task).then(
    (done) => parentPort?.postMessage({ index: task.index, done } satisfies WorkerAnswer),
    (error: unknown) => parentPort?.postMessage({ index: task.index, error: failure(error) } satisfies WorkerAnswer),
  );
});
parentPort?.postMessage('ready');

/** An error as it crosses to the main thread: a LetterpressError keeps its exit code (its class does not survive the copy). */
function failure(error: unknown): CopyFailure {
  if (!(error instanceof Error)) return { message: String(error) };
  return { message: error.message, stack: error.stack, ...(error instanceof LetterpressError && { exitCode: error.exitCode }) };
}
