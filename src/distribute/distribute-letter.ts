import { createHash } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildLetter } from '../build/build-letter.ts';
import type { HouseStyle } from '../config/house-style-schema.ts';
import type { Paper } from '../config/page-setup.ts';
import { letterSlug, loadLetters } from '../load/load-letters.ts';
import { InterruptedError } from '../errors.ts';
import { withBrowser } from '../pdf/browser.ts';
import { signPdf, type SignOptions } from '../sign/sign-pdf.ts';
import { csvText } from './csv.ts';
import { checkQpdf, encryptCopy, newPassword, type Passwords } from './encrypt-copy.ts';
import { checkOutputFolder, checkPasswordsFile, passwordsHeader, commitFolder, manifestName, removeAbandoned, stagingFolder, writeSecret, type PendingFile } from './output-folder.ts';
import { progress, type ProgressStream } from './progress.ts';
import { readRecipients } from './read-recipients.ts';
import { stampCopy, stampText } from './stamp-copy.ts';
import { stampFontCutter } from './stamp-font.ts';

export interface DistributeOptions {
  letter: string;
  recipients: string;
  cwd: string;
  outDir: string;
  paper: Paper;
  /** SOURCE_DATE_EPOCH (seconds) for the PDF's dates. */
  sourceDateEpoch?: number;
  /** Encrypt each copy with its own password, written to this file. */
  passwordsFile?: string;
  /** Sign each copy (PAdES, an incremental update over the stamped copy). Not with encryption, which rewrites the file. */
  sign?: Omit<SignOptions, 'time'>;
  /** Ctrl-C or SIGTERM (the command's): the run stops with an InterruptedError and its clean-up. */
  signal?: AbortSignal;
  log: (line: string) => void;
  progressStream: ProgressStream;
  /** The project's house style (default: the built-in design). */
  house?: HouseStyle;
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
  copies: DistributedCopy[];
}

type CopyWithPasswords = DistributedCopy & { passwords?: Passwords };

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
    // A signal also fails whatever was running (the browser, qpdf): the interruption is the cause to report.
    interruption.check();
    throw error;
  }
}

/** Ctrl-C or SIGTERM as the command saw it: checked between stages, and passed to what runs (qpdf, pauses). */
interface Interruption {
  signal?: AbortSignal;
  /** Throws an InterruptedError once a signal came. */
  check(): void;
}

async function distribute(options: DistributeOptions, interruption: Interruption): Promise<Distribution> {
  const { cwd, outDir, passwordsFile, log } = options;
  const recipients = await readRecipients(options.recipients, cwd);
  await checkOutputFolder(outDir);
  if (passwordsFile) {
    await checkPasswordsFile(passwordsFile, outDir);
    await checkQpdf();
  }
  await removeAbandoned(outDir, passwordsFile);
  interruption.check();

  const [file] = await loadLetters([options.letter], cwd);
  if (!file) throw new Error(`${options.letter}: nothing to build`);
  if (options.house) file.data.house = options.house;
  const letter = await withBrowser((browser) => buildLetter(file, { page: { paper: options.paper, profile: 'pdf' }, sourceDateEpoch: options.sourceDateEpoch, log }, browser));
  if (!letter.pdf) throw new Error(`${options.letter}: the build returned no PDF`);
  const letterPdf = letter.pdf;
  interruption.check();

  const cutFont = await stampFontCutter(recipients.map((r) => stampText(r.name)).join(''));
  const slug = letterSlug(letter.file);
  const staging = await stagingFolder(outDir);
  let secrets: PendingFile | undefined;
  try {
    const bar = progress(options.progressStream, recipients.length, 'copies');
    const copies: CopyWithPasswords[] = [];
    for (const recipient of recipients) {
      interruption.check();
      const file = `${slug}-${recipient.id}.pdf`;
      const unsigned = await stampCopy(letterPdf, recipient, await cutFont(stampText(recipient.name)));
      const stamped = options.sign ? await signPdf(unsigned, { ...options.sign, time: new Date() }) : unsigned;
      const make = options.newPassword ?? newPassword;
      const passwords = passwordsFile ? { user: make(), owner: make() } : undefined;
      // Encrypted in memory: the plaintext copy reaches qpdf through a file with no name.
      const written = passwords ? await encryptCopy(stamped, passwords, staging, interruption.signal, options.house?.encryption) : stamped;
      await writeFile(path.join(staging, file), written);
      const sha256 = createHash('sha256').update(written).digest('hex');
      copies.push({ id: recipient.id, name: recipient.name, email: recipient.email, file, sha256, passwords });
      bar.tick();
      await testPause(interruption.signal);
    }
    bar.done();

    const distribution: Distribution = {
      letter: letter.file.path,
      title: letter.frontMatter.title,
      encrypted: Boolean(passwordsFile),
      copies: copies.map(({ passwords: _, ...copy }) => copy),
    };
    await writeFile(path.join(staging, manifestName), `${JSON.stringify(distribution, null, 2)}\n`);
    if (passwordsFile) secrets = await writeSecret(passwordsFile, passwordsCsv(copies));
    // The last chance to stop; from here the copies and their passwords are put in place together.
    interruption.check();
    await commitFolder(staging, outDir);
    await secrets?.commit();
    log(`distribute ${copies.length} cop${copies.length === 1 ? 'y' : 'ies'} in ${path.relative(cwd, outDir) || '.'}${passwordsFile ? `, passwords in ${path.relative(cwd, passwordsFile)}` : ''}`);
    return distribution;
  } catch (error) {
    await secrets?.discard();
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** One row per copy, for a mail merge (every field safe to open in a spreadsheet). */
function passwordsCsv(copies: CopyWithPasswords[]): string {
  const rows = copies.map((c) => [c.id, c.name, c.email ?? '', c.file, c.passwords?.user ?? '', c.passwords?.owner ?? '']);
  return csvText([passwordsHeader, ...rows]);
}

/** LETTERPRESS_DISTRIBUTE_PAUSE_MS: a pause after each copy, only so tests can interrupt a run mid-way. */
async function testPause(signal: AbortSignal | undefined): Promise<void> {
  const ms = Number(process.env.LETTERPRESS_DISTRIBUTE_PAUSE_MS);
  if (ms > 0) await sleep(ms, undefined, { signal });
}
