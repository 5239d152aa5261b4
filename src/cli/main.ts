import type { VFile } from 'vfile';
import { useCacheRoot } from '../common/cache-dir.ts';
import { ContentError, exitCodeFor, InterruptedError, LetterpressError, UsageError } from '../common/errors.ts';
import { commands, findCommand } from './commands/index.ts';
import { watchClosedOutput, watchInterrupts } from './interrupts.ts';
import { commandHelp, helpText } from './help-text.ts';
import { parseCommandArgs } from './parse-args.ts';

async function run(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && args.length === 0)) {
    process.stdout.write(helpText(commands));
    return;
  }
  const command = findCommand(name === 'help' ? (args[0] ?? '') : name);
  if (!command) throw new UsageError(`unknown command \`${name === 'help' ? args[0] : name}\`; \`letterpress --help\` lists the commands`);
  if (name === 'help' || args.includes('--help') || args.includes('-h')) {
    process.stdout.write(commandHelp(command));
    return;
  }
  const parsed = parseCommandArgs(command, args);
  const { signal, stop } = watchInterrupts();
  stopCommand = () => stop(new InterruptedError('the output was closed'));
  useCacheRoot(process.env.LETTERPRESS_CACHE_DIR);
  const { run: runCommand } = await command.load();
  try {
    await runCommand(parsed, {
      signal,
      cwd: process.cwd(),
      env: process.env,
      log: (line) => process.stderr.write(`letterpress ${line}\n`),
      print: (text) => process.stdout.write(text),
    });
  } catch (error) {
    // A stage that noticed the signal without knowing the command (the browser, the worker parse): the command's line.
    throw signal.aborted && error instanceof InterruptedError && error.generic ? signal.reason : error;
  }
  // A signal that came while the last stage finished: the command did its work, but the user asked it to stop.
  // (A reader that went away meanwhile did not: the work is done, and its exit code stands.)
  if (!outputClosed()) signal.throwIfAborted();
}

/** After vfile-reporter's table: where the first error is, as `file:line:column` (clickable in editors and terminals). */
function failureSummary(files: VFile[]): string {
  const errors = files.flatMap((file) =>
    file.messages
      .filter((m) => m.fatal)
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
      .map((m) => `${file.path}:${m.line ?? 1}:${m.column ?? 1}`),
  );
  return `letterpress: ${errors.length} error(s), nothing was written; first at ${errors[0] ?? '?'}`;
}

// The one place where an outcome becomes a message and an exit code.
/** Stops the running command as Ctrl-C would, once it runs: a closed output ends it. */
let stopCommand: (() => void) | undefined;
const outputClosed = watchClosedOutput(() => stopCommand?.());
try {
  await run(process.argv.slice(2));
} catch (error) {
  // Its reader is gone (`| head -1`): the command ends quietly, with its exit code.
  if (outputClosed()) process.exitCode = exitCodeFor(error);
  else if (error instanceof ContentError) {
    const { reporter } = await import('vfile-reporter');
    process.stderr.write(`${reporter(error.files, { quiet: true })}\n${failureSummary(error.files)}\n`);
  } else if (error instanceof LetterpressError) process.stderr.write(`letterpress: ${error.message}\n`);
  else process.stderr.write(`letterpress: internal error, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = exitCodeFor(error);
}
