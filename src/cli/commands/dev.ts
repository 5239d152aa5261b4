import path from 'node:path';
import { InterruptedError, UsageError } from '../../errors.ts';
import { defaultLetterPaths } from '../../load/load-letters.ts';
import type { CommandContext } from '../command.ts';
import { parseOptions } from '../parse-args.ts';

export async function run(args: string[], { cwd, log, print }: CommandContext): Promise<void> {
  const { values, positionals } = parseOptions(args, { port: { type: 'string', default: '0' } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not \`${String(values.port)}\``);
  if (positionals.length > 1) throw new UsageError('dev previews one letter');
  const letters = positionals.length > 0 ? positionals : await defaultLetterPaths(path.join(cwd, 'content'));
  if (letters.length !== 1) throw new UsageError('name the letter to preview: content/ does not hold exactly one');
  const letterPath = letters[0] ?? '';
  // Waits for Ctrl-C (or SIGTERM) from here on, so one that arrives while the session starts is not lost.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const { startDev } = await import('../../dev/dev-session.ts');
  const session = await startDev({ letterPath, cwd, port, log, report: (text) => process.stderr.write(`${text}\n`) });
  print(`letterpress dev: previewing ${letterPath} at ${session.url} (Ctrl-C stops)\n`);
  await stopped;
  await session.close();
  throw new InterruptedError('stopped; Chromium and the preview server are closed');
}
