import path from 'node:path';
import { UsageError } from '../../common/errors.ts';
import { defaultLetterPaths } from '../../load/load-letters.ts';
import type { CommandContext, ParsedArgs } from '../command.ts';
import { houseStyleOption } from '../parse-args.ts';

export async function run({ values, positionals }: ParsedArgs, { cwd, log, print, signal }: CommandContext): Promise<void> {
  const port = Number(values.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not \`${String(values.port)}\``);
  if (positionals.length > 1) throw new UsageError('dev previews one letter');
  const letters = positionals.length > 0 ? positionals : await defaultLetterPaths(path.join(cwd, 'content'));
  if (letters.length !== 1) throw new UsageError('name the letter to preview: content/ does not hold exactly one');
  const letterPath = letters[0] ?? '';
  // Runs until Ctrl-C (or SIGTERM), which the command's signal carries; then main reports the interruption (exit 130).
  const stopped = new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  const { startDev } = await import('../../dev/dev-session.ts');
  // A house style that cannot be read stops the command before anything starts; later mistakes show in the preview.
  await houseStyleOption(values.config, cwd);
  const session = await startDev({ letterPath, cwd, port, config: typeof values.config === 'string' ? values.config : undefined, log, report: (text) => process.stderr.write(`${text}\n`) });
  print(`letterpress dev: previewing ${letterPath} at ${session.url} (Ctrl-C stops)\n`);
  await stopped;
  await session.close();
  log('dev       stopped: Chromium and the preview server are closed');
}
