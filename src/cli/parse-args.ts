import { parseArgs } from 'node:util';
import type { Paper } from '../html/render-document.ts';

export class UsageError extends Error {}

export const helpText = `letterpress — Markdown LP letters to print-grade PDFs

Usage:
  letterpress build [files…] [--out DIR] [--paper a4|letter] [--html-only]
  letterpress --help

Commands:
  build           build each letter (default: every content/*.md) into DIR

Options:
  --out DIR       output folder (default: dist)
  --paper SIZE    a4 (default) or letter
  --html-only     write the HTML only, do not print the PDF
  -h, --help      show this help

Exit codes: 0 done, 1 a letter has errors, 2 bad command line,
            3 no browser, 130 interrupted, 70 internal error.
`;

export type Command = { name: 'help' } | { name: 'build'; files: string[]; outDir: string; paper: Paper; htmlOnly: boolean };

export function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', default: 'dist' },
        paper: { type: 'string', default: 'a4' },
        'html-only': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [name, ...files] = positionals;
  if (values.help || name === undefined || name === 'help') return { name: 'help' };
  if (name !== 'build') throw new UsageError(`unknown command \`${name}\``);
  if (values.paper !== 'a4' && values.paper !== 'letter') throw new UsageError(`--paper must be a4 or letter, not \`${values.paper}\``);
  return { name, files, outDir: values.out, paper: values.paper, htmlOnly: values['html-only'] };
}
