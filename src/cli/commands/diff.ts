import path from 'node:path';
import { displayPath } from '../../archive/layout.ts';
import { writeRedline } from '../../archive/redline.ts';
import type { CommandContext, ParsedArgs } from '../command.ts';
import { UsageError } from '../../common/errors.ts';
import { defaultArchiveDir, recoverOutputFolder, refuseOutputInArchive } from '../output-checks.ts';
import { houseStyleOption } from '../parse-args.ts';

/** `v2` or `2`. */
function versionNumber(value: string | undefined): number {
  const match = /^v?([1-9]\d*)$/.exec(value ?? '');
  if (!match) throw new UsageError(`a version is v<N> (such as v1), not \`${value ?? ''}\``);
  return Number(match[1]);
}

export async function run({ values, positionals }: ParsedArgs, { cwd, log, print }: CommandContext): Promise<void> {
  const [letter, from, to, ...rest] = positionals;
  if (!letter || rest.length > 0) throw new UsageError('diff takes a letter and two versions: diff <letter> <vA> <vB>');
  await refuseOutputInArchive(String(values.out), cwd);
  await recoverOutputFolder(path.resolve(cwd, String(values.out)));
  const written = await writeRedline({
    archiveDir: path.resolve(cwd, String(values.archive)),
    // A letter may be named by its source file too: its slug is the file name without `.md`.
    letter: letter.endsWith('.md') ? path.basename(letter, '.md') : letter,
    from: versionNumber(from),
    to: versionNumber(to),
    outDir: path.resolve(cwd, String(values.out)),
    source: Boolean(values.source),
    house: await houseStyleOption(values.config, cwd),
    log,
  });
  print(`${displayPath(cwd, written.html)}\n${displayPath(cwd, written.pdf)}\n`);
}
