import path from 'node:path';
import { distributeLetter } from '../../distribute/distribute-letter.ts';
import { keyPassword, readSigningKey } from '../../sign/signing-key.ts';
import type { CommandContext } from '../command.ts';
import { UsageError } from '../../errors.ts';
import { paperOption, parseOptions, profileOption, sourceDateEpoch } from '../parse-args.ts';
import { parsePermissions } from '../../distribute/encrypt-copy.ts';

export async function run(args: string[], { cwd, env, log, signal }: CommandContext): Promise<void> {
  const { values, positionals } = parseOptions(args, {
    recipients: { type: 'string' },
    out: { type: 'string' },
    paper: { type: 'string', default: 'a4' },
    encrypt: { type: 'boolean', default: false },
    passwords: { type: 'string' },
    sign: { type: 'string' },
    'password-file': { type: 'string' },
    allow: { type: 'string' },
    profile: { type: 'string', default: 'pdf' },
    pdfx: { type: 'boolean', default: false },
    mailing: { type: 'boolean', default: false },
  });
  const { recipients, passwords } = values;
  const [letter, ...extra] = positionals;
  if (!letter || extra.length > 0) throw new UsageError('distribute takes exactly one letter');
  if (typeof recipients !== 'string') throw new UsageError('distribute needs --recipients FILE.csv');
  if (values.encrypt !== (typeof passwords === 'string')) throw new UsageError('--encrypt and --passwords FILE go together');
  // qpdf's encryption rewrites every byte, which would break the signature; an encrypted file cannot be signed here.
  if (values.sign !== undefined && values.encrypt) throw new UsageError('--sign and --encrypt do not go together: encryption rewrites the signed bytes');
  if (values.allow !== undefined && !values.encrypt) throw new UsageError('--allow goes with --encrypt: it sets what a reader of an encrypted copy may do');
  const profile = profileOption(values.profile);
  if (values.pdfx && (profile !== 'print' || !values.mailing)) throw new UsageError('--pdfx goes with --mailing --profile print: it is the print shop\'s job as PDF/X');
  const permissions = typeof values.allow === 'string' ? parsePermissions(values.allow) : undefined;
  const passwordFile = typeof values['password-file'] === 'string' ? path.resolve(cwd, values['password-file']) : undefined;
  const key = typeof values.sign === 'string' ? await readSigningKey(path.resolve(cwd, values.sign), await keyPassword(passwordFile)) : undefined;
  const out = typeof values.out === 'string' ? values.out : path.join('dist', `${path.basename(letter, '.md')}-copies`);
  await distributeLetter({
    letter,
    recipients,
    cwd,
    outDir: path.resolve(cwd, out),
    paper: paperOption(values.paper),
    profile,
    permissions,
    mailing: values.mailing === true,
    pdfx: values.pdfx === true,
    sourceDateEpoch: sourceDateEpoch(env),
    passwordsFile: typeof passwords === 'string' ? path.resolve(cwd, passwords) : undefined,
    sign: key && { key, reason: 'sent to this limited partner' },
    log,
    progressStream: process.stderr,
    signal,
  });
}
