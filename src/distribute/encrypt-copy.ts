import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { ToolMissingError } from '../errors.ts';

/** qpdf (Debian's `qpdf` package) is not installed. */
export class QpdfMissingError extends ToolMissingError {
  constructor() {
    super('--encrypt needs qpdf, which is not installed; run `apt-get install qpdf` (as root) and try again');
  }
}

export interface Passwords {
  /** Opens the copy: the LP's. */
  user: string;
  /** Lifts the restrictions: the fund's. */
  owner: string;
}

/** 18 random bytes: 144 bits, 24 URL-safe characters, easy to paste from an e-mail. */
export function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Fails with QpdfMissingError before any work is done when qpdf is not installed. */
export async function checkQpdf(): Promise<void> {
  await qpdf(['--version']);
}

/**
 * Encrypts `input` into `output` with AES-256 (PDF 2.0, R6) through qpdf. The
 * arguments go through stdin (`@-`) so the passwords never show in `ps`.
 */
export async function encryptCopy(input: string, output: string, passwords: Passwords): Promise<void> {
  await qpdf(['@-'], ['--encrypt', passwords.user, passwords.owner, '256', '--', input, output].join('\n'));
}

function qpdf(args: string[], stdin = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('qpdf', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new QpdfMissingError() : error));
    // Exit 3 is qpdf's "succeeded with warnings".
    child.on('close', (code) => (code === 0 || code === 3 ? resolve() : reject(new Error(`qpdf ${args.join(' ')} failed (exit ${code}): ${stderr.trim()}`))));
    child.stdin.end(`${stdin}\n`);
  });
}
