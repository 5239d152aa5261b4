import { stat } from 'node:fs/promises';
import path from 'node:path';
import { archiveLetters } from '../../archive/archive-letter.ts';
import { displayPath } from '../../archive/layout.ts';
import type { CommandContext, ParsedArgs } from '../command.ts';
import { UsageError } from '../../common/errors.ts';
import { defaultArchiveDir, refuseSameOutputName } from '../output-checks.ts';
import { signingOptions, timestampSource } from '../signing.ts';
import { houseStyleOption, letterPaths, paperOption, profileOption, sourceDateEpoch } from '../parse-args.ts';

export async function run({ values, positionals }: ParsedArgs, { cwd, env, log, print, signal }: CommandContext): Promise<void> {
  const paths = await letterPaths(positionals, cwd);
  refuseSameOutputName(paths);
  const archiveDir = path.resolve(cwd, String(values.archive));
  if ((await stat(archiveDir).catch(() => undefined))?.isDirectory() === false) throw new UsageError(`--archive ${String(values.archive)} is a file, not a folder; name the archive's folder`);
  const sign = await signingOptions(values, cwd, env, 'archived as sent');
  const house = await houseStyleOption(values.config, cwd);
  const results = await archiveLetters({
    paths,
    cwd,
    archiveDir,
    page: { paper: paperOption(values.paper, house), profile: profileOption(values.profile) },
    house,
    sourceDateEpoch: sourceDateEpoch(env),
    sign,
    anchor: timestampSource(values.tsa),
    signal,
    log,
  });
  for (const r of results) {
    const where = displayPath(cwd, path.join(archiveDir, r.rel));
    print(r.added ? `added      ${where}\n` : `unchanged  ${where} (${r.sourcePath} is identical; nothing written)\n`);
  }
}
