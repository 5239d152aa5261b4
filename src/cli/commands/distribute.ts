import path from 'node:path';
import { distributeLetter } from '../../distribute/distribute-letter.ts';
import { keyPassword, readSigningKey } from '../../sign/signing-key.ts';
import type { CommandContext } from '../command.ts';
import { UsageError } from '../../errors.ts';
import { configOptions, houseStyleOption, paperOption, parseOptions, sourceDateEpoch } from '../parse-args.ts';

export async function run(args: string[], { cwd, env, log, signal }: CommandContext): Promise<void> {
  const { values, positionals } = parseOptions(args, {
    recipients: { type: 'string' },
    out: { type: 'string' },
    paper: { type: 'string' },
    ...configOptions,
    encrypt: { type: 'boolean', default: false },
    passwords: { type: 'string' },
    sign: { type: 'string' },
    'password-file': { type: 'string' },
  });
  const { recipients, passwords } = values;
  const [letter, ...extra] = positionals;
  if (!letter || extra.length > 0) throw new UsageError('distribute takes exactly one letter');
  if (typeof recipients !== 'string') throw new UsageError('distribute needs --recipients FILE.csv');
  if (values.encrypt !== (typeof passwords === 'string')) throw new UsageError('--encrypt and --passwords FILE go together');
  // qpdf's encryption rewrites every byte, which would break the signature; an encrypted file cannot be signed here.
  if (values.sign !== undefined && values.encrypt) throw new UsageError('--sign and --encrypt do not go together: encryption rewrites the signed bytes');
  const passwordFile = typeof values['password-file'] === 'string' ? path.resolve(cwd, values['password-file']) : undefined;
  const key = typeof values.sign === 'string' ? await readSigningKey(path.resolve(cwd, values.sign), await keyPassword(passwordFile)) : undefined;
  const out = typeof values.out === 'string' ? values.out : path.join('dist', `${path.basename(letter, '.md')}-copies`);
  const house = await houseStyleOption(values.config, cwd);
  await distributeLetter({
    letter,
    recipients,
    cwd,
    outDir: path.resolve(cwd, out),
    paper: paperOption(values.paper, house),
    house,
    sourceDateEpoch: sourceDateEpoch(env),
    passwordsFile: typeof passwords === 'string' ? path.resolve(cwd, passwords) : undefined,
    sign: key && { key, reason: 'sent to this limited partner' },
    log,
    progressStream: process.stderr,
    signal,
  });
}
