import { stat } from 'node:fs/promises';
import path from 'node:path';
import { archiveLetters } from '../../archive/archive-letter.ts';
import { displayPath } from '../../archive/layout.ts';
import { defaultLetterPaths } from '../../load/load-letters.ts';
import type { CommandContext } from '../command.ts';
import { UsageError } from '../../errors.ts';
import { defaultArchiveDir, refuseSameOutputName } from '../output-checks.ts';
import { paperOption, parseOptions, profileOption, sourceDateEpoch } from '../parse-args.ts';

export async function run(args: string[], { cwd, env, log, print }: CommandContext): Promise<void> {
  const { values, positionals } = parseOptions(args, {
    archive: { type: 'string', default: defaultArchiveDir },
    paper: { type: 'string', default: 'a4' },
    profile: { type: 'string', default: 'pdf' },
  });
  const paths = positionals.length > 0 ? positionals : await defaultLetterPaths(path.join(cwd, 'content'));
  if (paths.length === 0) throw new UsageError('no letters: content/ has no .md file and none was named');
  refuseSameOutputName(paths);
  const archiveDir = path.resolve(cwd, String(values.archive));
  if ((await stat(archiveDir).catch(() => undefined))?.isDirectory() === false) throw new UsageError(`--archive ${String(values.archive)} is a file, not a folder; name the archive's folder`);
  const results = await archiveLetters({
    paths,
    cwd,
    archiveDir,
    page: { paper: paperOption(values.paper), profile: profileOption(values.profile) },
    sourceDateEpoch: sourceDateEpoch(env),
    log,
  });
  for (const r of results) {
    const where = displayPath(cwd, path.join(archiveDir, r.rel));
    print(r.added ? `added      ${where}\n` : `unchanged  ${where} (${r.sourcePath} is identical; nothing written)\n`);
  }
}
