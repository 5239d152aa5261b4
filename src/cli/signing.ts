import path from 'node:path';
import type { SignOptions } from '../sign/sign-pdf.ts';
import { keyPassword, readSigningKey } from '../sign/signing-key.ts';
import { requestTimestamp } from '../sign/timestamp.ts';
import type { ParsedArgs } from './command.ts';

/** A time-stamp source for `--tsa URL`: the only network a command uses, and only to the URL its user named. */
export function timestampSource(url: unknown): SignOptions['timestamp'] {
  if (url === undefined) return undefined;
  return (signatureValue) => requestTimestamp(String(url), signatureValue);
}

/**
 * `--sign KEY.p12 [--password-file FILE] [--tsa URL]` of archive and
 * distribute: the key read (and its password checked) before anything is
 * built, each signature time-stamped when `--tsa` is given; undefined when
 * not signing.
 */
export async function signingOptions(values: ParsedArgs['values'], cwd: string, env: NodeJS.ProcessEnv, reason: string): Promise<Omit<SignOptions, 'time'> | undefined> {
  if (typeof values.sign !== 'string') return undefined;
  const passwordFile = typeof values['password-file'] === 'string' ? path.resolve(cwd, values['password-file']) : undefined;
  const key = await readSigningKey(path.resolve(cwd, values.sign), () => keyPassword(passwordFile, env));
  return { key, reason, timestamp: timestampSource(values.tsa) };
}
