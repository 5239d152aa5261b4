import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { ToolMissingError, UsageError } from '../common/errors.ts';
import { defaultPermissions, permissionNames, type Permission } from '../config/permissions.ts';
import { unnamedFile } from './unnamed-file.ts';

/** qpdf (Debian's `qpdf` package) is not installed. */
export class QpdfMissingError extends ToolMissingError {
  constructor() {
    super('--encrypt needs qpdf, which is not installed; run `apt-get install qpdf` (as root) and try again');
  }
}

/**
 * qpdf is installed but failed on a copy: a broken or replaced qpdf (exit 3,
 * as a tool that cannot be used). Its first line of explanation is kept, never a password.
 */
export class QpdfFailedError extends ToolMissingError {
  constructor(code: number | null, said: string) {
    super(`qpdf could not encrypt a copy (${code === null ? 'killed by a signal' : `exit ${code}`})${said ? `: ${said}` : ''}; check that \`qpdf --version\` works (reinstall with \`apt-get install qpdf\`) and run distribute again`);
  }
}

export interface Passwords {
  /** Opens the copy: the LP's. */
  user: string;
  /** Lifts the restrictions: the fund's, one for the whole distribution. */
  owner: string;
}

/** `--allow print,copy`, `--allow none`, `--allow all`: the permissions named, or a UsageError naming the unknown one. */
export function parsePermissions(text: string): Permission[] {
  const words = text.split(',').map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
  if (words.length === 1 && words[0] === 'none') return [];
  if (words.length === 1 && words[0] === 'all') return permissionNames.filter((p) => p !== 'print-low');
  const unknown = words.filter((w) => !(permissionNames as readonly string[]).includes(w));
  if (unknown.length > 0 || words.length === 0) {
    throw new UsageError(`--allow ${text}: expected none, all, or a comma-separated list of ${permissionNames.join(', ')}`);
  }
  return [...new Set(words as Permission[])];
}

/** qpdf's job-file switches for these permissions (its `256bit` object: each key restricts what it names). */
function qpdfPermissions(allowed: readonly Permission[]): Record<string, string> {
  const yes = (p: Permission): string => (allowed.includes(p) ? 'y' : 'n');
  return {
    print: allowed.includes('print') ? 'full' : allowed.includes('print-low') ? 'low' : 'none',
    extract: yes('copy'),
    annotate: yes('annotate'),
    form: yes('fill'),
    assemble: yes('assemble'),
    modifyOther: yes('modify'),
  };
}

/**
 * 18 random bytes: 144 bits, 24 URL-safe characters, easy to paste from an
 * e-mail. Drawn again when the first character is `-` or `_` (1 in 32): a
 * spreadsheet reads a leading `-` as a formula, and the passwords go to one.
 */
export function newPassword(): string {
  for (;;) {
    const password = randomBytes(18).toString('base64url');
    if (/^[A-Za-z0-9]/.test(password)) return password;
  }
}

/** Fails with QpdfMissingError before any work is done when qpdf is not installed. */
export async function checkQpdf(): Promise<void> {
  await qpdf(['--version'], []);
}

/**
 * The copy encrypted with AES-256 (PDF 2.0, R6) through qpdf. The passwords go
 * in a qpdf job file (JSON), where they are strings and never options (on the
 * command line a password starting with `-` would be read as one), and the
 * job file and the plaintext copy reach qpdf as unnamed files (see
 * unnamedFile): neither shows in `ps` or on disk. `folder` is where the
 * unnamed files live while qpdf runs (the staging folder). The owner password
 * lifts the `permissions`.
 */
export async function encryptCopy(plain: Uint8Array, passwords: Passwords, folder: string, permissions: readonly Permission[] = defaultPermissions, signal?: AbortSignal): Promise<Uint8Array> {
  const input = await unnamedFile(folder, plain);
  try {
    const job = { inputFile: input.pathFor(3), outputFile: '-', encrypt: { userPassword: passwords.user, ownerPassword: passwords.owner, '256bit': qpdfPermissions(permissions) } };
    const jobFile = await unnamedFile(folder, JSON.stringify(job));
    try {
      return await qpdf([`--job-json-file=${jobFile.pathFor(4)}`], [input.fd, jobFile.fd], [passwords.user, passwords.owner], signal);
    } finally {
      await jobFile.close();
    }
  } finally {
    await input.close();
  }
}

/** Runs qpdf with `fds` as its descriptors 3, 4, …; returns its standard output. Never shows `secrets` in a message. */
function qpdf(args: string[], fds: number[], secrets: string[] = [], signal?: AbortSignal): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const child = spawn('qpdf', args, { stdio: ['ignore', 'pipe', 'pipe', ...fds], signal }) as ChildProcessByStdio<null, Readable, Readable>;
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new QpdfMissingError() : error));
    child.on('close', (code) => {
      // Exit 3 is qpdf's "succeeded with warnings".
      if (code === 0 || code === 3) return resolve(Buffer.concat(stdout));
      const said = secrets.reduce((text, secret) => text.replaceAll(secret, '[password]'), stderr.trim().split('\n')[0] ?? '');
      reject(new QpdfFailedError(code, said));
    });
  });
}
