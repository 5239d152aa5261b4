import { importDocument } from '../../import/import-document.ts';
import type { CommandContext, ParsedArgs } from '../command.ts';
import { UsageError } from '../../common/errors.ts';

const keys = ['title', 'date', 'author', 'recipients', 'organisation', 'confidentiality'] as const;

export async function run({ values, positionals }: ParsedArgs, { cwd, log, print }: CommandContext): Promise<void> {
  if (positionals.length !== 1) throw new UsageError('name one document to import: `letterpress import SOURCE [--out content/NAME.md]`');
  const given: Partial<Record<(typeof keys)[number], string>> = Object.fromEntries(keys.flatMap((key) => (typeof values[key] === 'string' ? [[key, values[key]]] : [])));
  if (given.date !== undefined && !/^\d{4}-\d{2}(-\d{2})?$/.test(given.date)) throw new UsageError(`--date must be YYYY-MM or YYYY-MM-DD, not \`${given.date}\``);
  const source = positionals[0] ?? '';
  const result = await importDocument({ source, out: values.out as string | undefined, cwd, given, today: new Date().toISOString().slice(0, 10) });
  for (const change of result.changes) print(`${change.line > 0 ? `${source}:${change.line}` : source}: ${change.text}\n`);
  log(`import    ${result.letter}${result.images.length > 0 ? ` and ${result.images.length} image(s)` : ''} written; check the keys filled above, then \`letterpress build ${result.letter}\``);
}
