import path from 'node:path';
import type { VFile } from 'vfile';
import { reporter } from 'vfile-reporter';
import { buildLetters, ContentError } from '../build/build-letters.ts';
import { defaultLetterPaths } from '../load/load-letters.ts';
import { exitCodeFor } from './exit-code.ts';
import { helpText, parseCommand, UsageError } from './parse-args.ts';

async function run(argv: string[]): Promise<void> {
  const command = parseCommand(argv);
  if (command.name === 'help') {
    process.stdout.write(helpText);
    return;
  }
  const cwd = process.cwd();
  const paths = command.files.length > 0 ? command.files : await defaultLetterPaths(path.join(cwd, 'content'));
  const { files } = await buildLetters({
    paths,
    cwd,
    outDir: path.resolve(cwd, command.outDir),
    paper: command.paper,
    htmlOnly: command.htmlOnly,
    log: (line) => process.stderr.write(`letterpress ${line}\n`),
  });
  const warnings = reporter(files, { quiet: true });
  if (warnings) process.stderr.write(`${warnings}\n`);
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

try {
  await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof ContentError) process.stderr.write(`${reporter(error.files, { quiet: true })}\n${failureSummary(error.files)}\n`);
  else if (error instanceof UsageError) process.stderr.write(`letterpress: ${error.message}\n\n${helpText}`);
  else process.stderr.write(`letterpress: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = exitCodeFor(error);
}
