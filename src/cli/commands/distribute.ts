import path from 'node:path';
import { distributeLetter } from '../../distribute/distribute-letter.ts';
import type { CommandContext, ParsedArgs } from '../command.ts';
import { UsageError } from '../../common/errors.ts';
import { signingOptions } from '../signing.ts';
import { parsePermissions } from '../../distribute/encrypt-copy.ts';
import { houseStyleOption, paperOption, profileOption, sourceDateEpoch } from '../parse-args.ts';

export async function run({ values, positionals }: ParsedArgs, { cwd, env, log, signal }: CommandContext): Promise<void> {
  const { recipients, passwords } = values;
  const [letter, ...extra] = positionals;
  if (!letter || extra.length > 0) throw new UsageError('distribute takes exactly one letter');
  if (typeof recipients !== 'string') throw new UsageError('distribute needs --recipients FILE.csv');
  if (values.encrypt !== (typeof passwords === 'string')) throw new UsageError('--encrypt and --passwords FILE go together');
  // qpdf's encryption rewrites every byte, which would break the signature; an encrypted file cannot be signed here.
  if (values.sign !== undefined && values.encrypt) throw new UsageError('--sign and --encrypt do not go together: encryption rewrites the signed bytes');
  if (values.tsa !== undefined && values.sign === undefined) throw new UsageError('--tsa time-stamps the copies’ signatures: it goes with --sign KEY.p12');
  if (values.allow !== undefined && !values.encrypt) throw new UsageError('--allow goes with --encrypt: it sets what a reader of an encrypted copy may do');
  const profile = profileOption(values.profile);
  if (values.pdfx && (profile !== 'print' || !values.mailing)) throw new UsageError('--pdfx goes with --mailing --profile print: it is the print shop’s job as PDF/X');
  const permissions = typeof values.allow === 'string' ? parsePermissions(values.allow) : undefined;
  // Copies are signed in worker threads: the authority goes to them as its URL.
  const signing = await signingOptions(values, cwd, env, 'sent to this limited partner');
  const sign = signing && { key: signing.key, reason: signing.reason, tsa: typeof values.tsa === 'string' ? values.tsa : undefined };
  const house = await houseStyleOption(values.config, cwd);
  const out = typeof values.out === 'string' ? values.out : path.join('dist', `${path.basename(letter, '.md')}-copies`);
  await distributeLetter({
    letter,
    recipients,
    cwd,
    outDir: path.resolve(cwd, out),
    paper: paperOption(values.paper, house),
    house,
    profile,
    permissions,
    mailing: values.mailing === true,
    pdfx: values.pdfx === true,
    sourceDateEpoch: sourceDateEpoch(env),
    passwordsFile: typeof passwords === 'string' ? path.resolve(cwd, passwords) : undefined,
    sign,
    log,
    progressStream: process.stderr,
    signal,
  });
}
