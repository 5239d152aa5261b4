import { readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { buildLetter } from '../pipeline/build-letter.ts';
import type { Paper, Profile } from '../config/page-setup.ts';
import { letterSlug, loadLetter } from '../load/load-letters.ts';
import { InterruptedError } from '../common/errors.ts';
import { withBrowser } from '../chromium/browser.ts';
import { reached } from '../write/commit-point.ts';
import { convertToPdfx } from '../postprocess/convert-pdfx.ts';
import { runCopies, type CopySigning, type CopyTask, type PoolUse } from './copy-pool.ts';
import { csvText } from './csv.ts';
import { defaultPermissions, type Permission } from '../config/permissions.ts';
import { defaultHouseStyle, labelLanguage, type HouseStyle } from '../config/house-style-schema.ts';
import { checkQpdf, newPassword, type Passwords } from './encrypt-copy.ts';
import { addressPageCharacters, MailingJob } from './mailing.ts';
import type { MailingPart } from './mailing-segment.ts';
import { checkOutputFolder, checkPasswordsFile, commitFolder, manifestName, passwordsHeader, removeAbandoned, stagingFolder, writeSecret, type PendingFile } from './output-folder.ts';
import { prepareLetter } from './prepared-letter.ts';
import { progress, type ProgressStream } from './progress.ts';
import { readRecipients } from './read-recipients.ts';
import { findRecipientSlot } from './recipient-slot.ts';
import { RecipientListError } from './recipient-list-error.ts';
import { copyLine, stampCharacters, type StampSetup } from './stamp-copy.ts';
import { cutStampFont, distributionFont } from './stamp-font.ts';

export interface DistributeOptions {
  letter: string;
  recipients: string;
  cwd: string;
  outDir: string;
  paper: Paper;
  /** `print`: copies press-ready (bleed, crop marks, mirrored margins, even pages), as `build --profile print`. */
  profile?: Profile;
  /** SOURCE_DATE_EPOCH (seconds) for the PDF's dates. */
  sourceDateEpoch?: number;
  /** Encrypt each copy with its own password, written to this file. */
  passwordsFile?: string;
  /** What a reader of an encrypted copy may do (default: print at full resolution, nothing else). */
  permissions?: readonly Permission[];
  /** The project's house style: labels, faces, and the default encryption permissions. */
  house?: HouseStyle;
  /** Sign each copy (PAdES, an incremental update over the stamped copy). Not with encryption, which rewrites the file. */
  sign?: CopySigning;
  /** Also write mailing.pdf and mailing.csv for the print shop (every recipient needs an address). */
  mailing?: boolean;
  /** With `mailing` and the print profile: also mailing.pdfx.pdf (PDF/X-3). */
  pdfx?: boolean;
  /** Ctrl-C or SIGTERM (the command's): the run stops with an InterruptedError and its clean-up. */
  signal?: AbortSignal;
  log: (line: string) => void;
  progressStream: ProgressStream;
  /** Makes each password (default: newPassword; tests give their own). */
  newPassword?: () => string;
}

export interface DistributedCopy {
  id: string;
  name: string;
  email?: string;
  /** File name inside the output folder. */
  file: string;
  sha256: string;
}

export interface Distribution {
  letter: string;
  title: string;
  encrypted: boolean;
  /** The passwords file (relative to the output folder) and its SHA-256: the copies and their passwords go together. */
  passwords?: { file: string; sha256: string };
  /** The print shop's job, when asked for. */
  mailing?: { file: string; pages: number; sha256: string };
  copies: DistributedCopy[];
}

/**
 * One print of the letter, one stamped copy per recipient. Everything is
 * checked first (list, folders, qpdf), the copies are written to a staging
 * folder and put in place only when all of them succeeded. Ctrl-C or SIGTERM
 * at any stage before that stops the run with an InterruptedError (exit 130)
 * and removes the staging folder; a plaintext copy never has a name on disk.
 */
export async function distributeLetter(options: DistributeOptions): Promise<Distribution> {
  const interruption: Interruption = {
    signal: options.signal,
    check() {
      if (options.signal?.aborted) throw new InterruptedError('interrupted: no copy was written, and an earlier distribution is as it was');
    },
  };
  try {
    return await distribute(options, interruption);
  } catch (error) {
    // A signal also fails whatever was running (the browser, qpdf, the workers): the interruption is the cause to report.
    interruption.check();
    throw error;
  }
}

/** Ctrl-C or SIGTERM as the command saw it: checked between stages, and passed to what runs (the workers, pauses). */
interface Interruption {
  signal?: AbortSignal;
  /** Throws an InterruptedError once a signal came. */
  check(): void;
}

async function distribute(options: DistributeOptions, interruption: Interruption): Promise<Distribution> {
  const { cwd, outDir, passwordsFile, log } = options;
  const profile = options.profile ?? 'pdf';
  const recipients = await readRecipients(options.recipients, cwd);
  if (options.mailing) {
    const missing = recipients.find((r) => !r.address);
    if (missing) throw new RecipientListError(options.recipients, missing.line, `no address for ${missing.id}: --mailing needs an \`address\` column filled in for every recipient`);
  }
  await checkOutputFolder(outDir);
  if (passwordsFile) {
    await checkPasswordsFile(passwordsFile, outDir);
    await checkQpdf();
  }
  for (const line of await removeAbandoned(outDir, passwordsFile)) log(`distribute ${line}`);
  interruption.check();

  const file = await loadLetter(options.letter, cwd, { house: options.house });
  // The letterhead's recipient line is printed empty: each copy writes its own recipient there.
  const letter = await withBrowser((browser) => buildLetter(file, { page: { paper: options.paper, profile }, sourceDateEpoch: options.sourceDateEpoch, log, recipient: '' }, browser));
  interruption.check();

  const title = letter.frontMatter.title;
  const house = file.data.house ?? defaultHouseStyle;
  const labels = house.labels[labelLanguage(letter.frontMatter.lang)];
  const stamp: StampSetup = { preparedFor: labels.preparedFor, copy: labels.copy, recipientSlot: await findRecipientSlot(letter.pdf, labels.to, letter.frontMatter.date) };
  const mailingText = options.mailing ? addressPageCharacters(title) + recipients.map((r) => [r.name, ...(r.address ?? []), copyLine(stamp, r.id)].join('')).join('') : '';
  const font = await distributionFont(recipients.map((r) => stampCharacters(stamp, r)).join('') + mailingText);
  const slug = letterSlug(letter.file);
  const staging = await stagingFolder(outDir);
  let secrets: PendingFile | undefined;
  let mailing: MailingJob | undefined;
  try {
    const make = options.newPassword ?? newPassword;
    // The owner password lifts the restrictions on every copy: one per distribution, kept by the fund.
    const owner = passwordsFile ? make() : undefined;
    if (options.mailing) {
      const prepared = await prepareLetter(letter.pdf, profile);
      mailing = await MailingJob.start(path.join(staging, 'mailing.pdf'), prepared, recipients, {
        paper: options.paper,
        profile,
        title,
        copy: stamp.copy,
        font: await cutStampFont(font, mailingText),
        list: options.recipients,
      });
    }
    const tasks: (CopyTask & { passwords?: Passwords; email?: string })[] = recipients.map((recipient, index) => ({
      index,
      recipient: { id: recipient.id, name: recipient.name },
      email: recipient.email,
      file: `${slug}-${recipient.id}.pdf`,
      passwords: owner === undefined ? undefined : { user: make(), owner },
      mailing: mailing?.block(index),
    }));

    const bar = progress(options.progressStream, tasks.length, 'copies');
    const hashes: string[] = [];
    // The workers finish in any order; the mailing job takes the copies in the list's.
    const parts = new Map<number, MailingPart>();
    let placed = 0;
    let mailingWritten = Promise.resolve();
    const job = mailing;
    const started = { wall: performance.now(), cpu: process.cpuUsage() };
    const pool = await runCopies(
      { letterPdf: letter.pdf, profile, distributionFont: font, stamp, staging, permissions: options.permissions ?? options.house?.encryption ?? defaultPermissions, sign: options.sign, waits: Boolean(passwordsFile || options.sign?.tsa) },
      tasks,
      (task, done) => {
        hashes[task.index] = done.sha256;
        bar.tick();
        if (!job || !done.mailing) return;
        parts.set(task.index, done.mailing);
        mailingWritten = mailingWritten.then(async () => {
          for (let part = parts.get(placed); part; part = parts.get(placed)) {
            parts.delete(placed++);
            await job.add(part);
          }
        });
      },
      interruption.signal,
    );
    bar.done();
    interruption.check();
    log(copyingTime(tasks.length, started, pool));

    const copies: DistributedCopy[] = tasks.map((t) => ({ id: t.recipient.id, name: t.recipient.name, email: t.email, file: t.file, sha256: hashes[t.index]! }));
    const distribution: Distribution = { letter: letter.file.path, title, encrypted: Boolean(passwordsFile), copies };
    if (job) {
      await mailingWritten;
      const { pages, csv } = await job.finish(title);
      await writeFile(path.join(staging, 'mailing.csv'), csv);
      const bytes = await readFile(path.join(staging, 'mailing.pdf'));
      distribution.mailing = { file: 'mailing.pdf', pages, sha256: createHash('sha256').update(bytes).digest('hex') };
      if (options.pdfx) await writeFile(path.join(staging, 'mailing.pdfx.pdf'), await convertToPdfx(bytes, letter.frontMatter));
    }
    if (passwordsFile) {
      const text = passwordsCsv(tasks);
      secrets = await writeSecret(passwordsFile, text);
      distribution.passwords = { file: path.relative(outDir, passwordsFile), sha256: createHash('sha256').update(text).digest('hex') };
    }
    await writeFile(path.join(staging, manifestName), `${JSON.stringify(distribution, null, 2)}\n`);
    // The last chance to stop. Putting the folder in place is the commit: its manifest names the passwords file, which a later run puts in place if this one dies now.
    interruption.check();
    await commitFolder(staging, outDir);
    await reached('distribute.copies-placed');
    await secrets?.commit();
    log(`distribute ${copies.length} cop${copies.length === 1 ? 'y' : 'ies'} in ${path.relative(cwd, outDir) || '.'}${passwordsFile ? `, passwords in ${path.relative(cwd, passwordsFile)}` : ''}${distribution.mailing ? `, mailing job of ${distribution.mailing.pages} pages` : ''}`);
    return distribution;
  } catch (error) {
    await secrets?.discard();
    throw error;
  } finally {
    await mailing?.close();
    await rm(staging, { recursive: true, force: true });
  }
}

/** One row per copy, for a mail merge (every field safe to open in a spreadsheet). */
function passwordsCsv(tasks: { recipient: { id: string; name: string }; email?: string; file: string; passwords?: Passwords }[]): string {
  const rows = tasks.map((t) => [t.recipient.id, t.recipient.name, t.email ?? '', t.file, t.passwords?.user ?? '', t.passwords?.owner ?? '']);
  return csvText([passwordsHeader, ...rows]);
}

/**
 * `copies    10000 in 41.3 s, 4.1 ms each, 187 % CPU, 2 workers busy 97 %`:
 * the copy stage's time, the CPU its threads used (this process's and every
 * worker's; an encrypted copy's qpdf is a process of its own), 100 % being
 * one core, and how much of the time the workers were at work. Workers busy
 * nearly all the time with less CPU than their number of cores means the
 * cores were shared with other programs.
 */
function copyingTime(count: number, started: { wall: number; cpu: NodeJS.CpuUsage }, pool: PoolUse): string {
  const wall = performance.now() - started.wall;
  const { user, system } = process.cpuUsage(started.cpu);
  const cpu = Math.round((user + system) / 10 / wall);
  return `copies    ${count} in ${(wall / 1000).toFixed(1)} s, ${(wall / count).toFixed(1)} ms each, ${cpu} % CPU, ${pool.workers} worker${pool.workers === 1 ? '' : 's'} busy ${Math.round(pool.busy * 100)} %`;
}

