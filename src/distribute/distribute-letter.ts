import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildLetter } from '../build/build-letter.ts';
import type { Paper } from '../config/page-setup.ts';
import { letterSlug, loadLetters } from '../load/load-letters.ts';
import { withBrowser } from '../pdf/browser.ts';
import { checkQpdf, encryptCopy, newPassword, type Passwords } from './encrypt-copy.ts';
import { checkOutputFolder, checkPasswordsFile, commitFolder, manifestName, stagingFolder, writeSecret, type PendingFile } from './output-folder.ts';
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
  log: (line: string) => void;
  progressStream: ProgressStream;
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
 * folder and put in place only when all of them succeeded.
 */
export async function distributeLetter(options: DistributeOptions): Promise<Distribution> {
  const { cwd, outDir, passwordsFile, log } = options;
  const recipients = await readRecipients(options.recipients, cwd);
  await checkOutputFolder(outDir);
  if (passwordsFile) {
    await checkPasswordsFile(passwordsFile, outDir);
    await checkQpdf();
  }

  const [file] = await loadLetters([options.letter], cwd);
  if (!file) throw new Error(`${options.letter}: nothing to build`);
  const letter = await withBrowser((browser) => buildLetter(file, { page: { paper: options.paper, profile: 'pdf' }, sourceDateEpoch: options.sourceDateEpoch, log }, browser));
  if (!letter.pdf) throw new Error(`${options.letter}: the build returned no PDF`);
  const letterPdf = letter.pdf;

  const cutFont = await stampFontCutter(recipients.map((r) => stampText(r.name)).join(''));
  const slug = letterSlug(letter.file);
  const staging = await stagingFolder(outDir);
  let secrets: PendingFile | undefined;
  try {
    const bar = progress(options.progressStream, recipients.length, 'copies');
    const copies: CopyWithPasswords[] = [];
    for (const recipient of recipients) {
      const file = `${slug}-${recipient.id}.pdf`;
      const target = path.join(staging, file);
      const stamped = await stampCopy(letterPdf, recipient, await cutFont(stampText(recipient.name)));
      const passwords = passwordsFile ? { user: newPassword(), owner: newPassword() } : undefined;
      let written = stamped;
      if (passwords) {
        const plain = path.join(staging, `.${file}.plain`);
        await writeFile(plain, stamped);
        await encryptCopy(plain, target, passwords);
        await rm(plain);
        written = await readFile(target);
      } else {
        await writeFile(target, stamped);
      }
      const sha256 = createHash('sha256').update(written).digest('hex');
      copies.push({ id: recipient.id, name: recipient.name, email: recipient.email, file, sha256, passwords });
      bar.tick();
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

/** One row per copy, for a mail merge; fields quoted as RFC 4180 asks. */
function passwordsCsv(copies: CopyWithPasswords[]): string {
  const field = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const rows = copies.map((c) => [c.id, c.name, c.email ?? '', c.file, c.passwords?.user ?? '', c.passwords?.owner ?? '']);
  return [['id', 'name', 'email', 'file', 'password', 'owner_password'], ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}
