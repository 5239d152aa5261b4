import { UsageError } from '../../common/errors.ts';
import { writeNewLetter } from '../../new-letter/write-new-letter.ts';
import type { CommandContext, ParsedArgs } from '../command.ts';

export async function run({ positionals }: ParsedArgs, { cwd, print }: CommandContext): Promise<void> {
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0) throw new UsageError('new takes one name: letterpress new 2024-q4-letter');
  const rel = await writeNewLetter(name, cwd);
  print(`wrote      ${rel}\nnext       npx letterpress lint ${rel}, then npx letterpress dev ${rel}\n`);
}
