import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { signPdf } from '../../sign/sign-pdf.ts';
import { keyPassword, readSigningKey } from '../../sign/signing-key.ts';
import { UsageError } from '../../common/errors.ts';
import { writeAtomic } from '../../write/write-atomic.ts';
import type { CommandContext, ParsedArgs } from '../command.ts';
import { recoverOutputFolder } from '../output-checks.ts';
import { timestampSource } from '../signing.ts';

export async function run({ values, positionals }: ParsedArgs, { cwd, env, print }: CommandContext): Promise<void> {
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const [key, out, passwordFile] = [text(values.key), text(values.out), text(values['password-file'])];
  if (positionals.length !== 1) throw new UsageError('sign takes one PDF: letterpress sign FILE.pdf --key KEY.p12');
  if (!key) throw new UsageError('--key KEY.p12 is required');
  const input = path.resolve(cwd, positionals[0] ?? '');
  const output = path.resolve(cwd, out ?? input.replace(/(\.pdf)?$/i, '.signed.pdf'));
  if (output === input) throw new UsageError('--out must differ from the PDF signed: the unsigned original is kept');
  // The PDF may be a build's output: what a killed build left beside it is completed first.
  for (const dir of new Set([path.dirname(input), path.dirname(output)])) await recoverOutputFolder(dir);
  const pdf = await readFile(input).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${positionals[0]} (${error.code ?? error.message})`);
  });
  const signingKey = await readSigningKey(path.resolve(cwd, key), () => keyPassword(passwordFile && path.resolve(cwd, passwordFile), env));
  const signed = await signPdf(pdf, { key: signingKey, reason: text(values.reason), location: text(values.location), name: text(values.name), time: new Date(), timestamp: timestampSource(values.tsa) });
  await writeAtomic(output, signed);
  print(`signed     ${path.relative(cwd, output)} (${signed.length - pdf.length} bytes appended to the ${pdf.length} of ${positionals[0]})\n`);
}
