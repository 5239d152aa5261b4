import { stat } from 'node:fs/promises';
import path from 'node:path';
import { archiveLetters } from '../../archive/archive-letter.ts';
import { displayPath } from '../../archive/layout.ts';
import { keyPassword, readSigningKey } from '../../sign/signing-key.ts';
import type { CommandContext } from '../command.ts';
import { UsageError } from '../../errors.ts';
import { defaultArchiveDir, refuseSameOutputName } from '../output-checks.ts';
import { configOptions, houseStyleOption, letterPaths, paperOption, parseOptions, profileOption, sourceDateEpoch } from '../parse-args.ts';

export async function run(args: string[], { cwd, env, log, print, signal }: CommandContext): Promise<void> {
  const { values, positionals } = parseOptions(args, {
    archive: { type: 'string', default: defaultArchiveDir },
    paper: { type: 'string' },
    ...configOptions,
    profile: { type: 'string', default: 'pdf' },
    sign: { type: 'string' },
    'password-file': { type: 'string' },
  });
  const paths = await letterPaths(positionals, cwd);
  refuseSameOutputName(paths);
  const archiveDir = path.resolve(cwd, String(values.archive));
  if ((await stat(archiveDir).catch(() => undefined))?.isDirectory() === false) throw new UsageError(`--archive ${String(values.archive)} is a file, not a folder; name the archive's folder`);
  const passwordFile = typeof values['password-file'] === 'string' ? path.resolve(cwd, values['password-file']) : undefined;
  // The key is read (and its password checked) before anything is built.
  const key = typeof values.sign === 'string' ? await readSigningKey(path.resolve(cwd, values.sign), await keyPassword(passwordFile)) : undefined;
  const house = await houseStyleOption(values.config, cwd);
  const results = await archiveLetters({
    paths,
    cwd,
    archiveDir,
    page: { paper: paperOption(values.paper, house), profile: profileOption(values.profile) },
    house,
    sourceDateEpoch: sourceDateEpoch(env),
    sign: key && { key, reason: 'archived as sent' },
    signal,
    log,
  });
  for (const r of results) {
    const where = displayPath(cwd, path.join(archiveDir, r.rel));
    print(r.added ? `added      ${where}\n` : `unchanged  ${where} (${r.sourcePath} is identical; nothing written)\n`);
  }
}
