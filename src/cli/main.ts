import path from 'node:path';
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

try {
  await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof ContentError) process.stderr.write(`${reporter(error.files, { quiet: true })}\n`);
  else if (error instanceof UsageError) process.stderr.write(`letterpress: ${error.message}\n\n${helpText}`);
  else process.stderr.write(`letterpress: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = exitCodeFor(error);
}
