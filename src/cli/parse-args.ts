import { parseArgs, type ParseArgsConfig } from 'node:util';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { defaultLetterPaths } from '../load/load-letters.ts';
import type { Paper, Profile } from '../config/page-setup.ts';
import { isOutputCondition, type OutputCondition, outputConditionNames } from '../postprocess/output-conditions.ts';
import type { Command } from './command.ts';

/** node:util parseArgs for one command's arguments, with its errors as UsageErrors. */
export function parseOptions(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const option = /'(-[^']*)'/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option \`${option}\`; \`letterpress --help\` lists the options`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`unexpected argument: ${message.split('.')[0]}`);
    throw new UsageError(message.split('. ')[0] ?? message);
  }
  // `--out ''` would resolve to the current folder and write there: an empty value is a slip, not a choice.
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === '') throw new UsageError(`--${name} is empty: give it a value`);
  }
  return parsed;
}

/** The letters a command works on: those named, else every `content/*.md`. */
export async function letterPaths(positionals: string[], cwd: string): Promise<string[]> {
  if (positionals.length > 0) return positionals;
  const content = path.join(cwd, 'content');
  if (!(await stat(content).catch(() => undefined))?.isDirectory()) {
    throw new UsageError('no letter named, and no content/ folder here: name the letters (e.g. `letterpress build letter.md`) or run in the project folder');
  }
  const paths = await defaultLetterPaths(content);
  if (paths.length === 0) throw new UsageError('no letters: content/ has no .md file and none was named');
  return paths;
}

export function paperOption(value: unknown): Paper {
  if (value !== 'a4' && value !== 'letter') throw new UsageError(`--paper must be a4 or letter, not \`${String(value)}\``);
  return value;
}

export function outputConditionOption(value: unknown): OutputCondition {
  if (typeof value !== 'string' || !isOutputCondition(value)) throw new UsageError(`--output-condition must be one of ${outputConditionNames.join(', ')}, not \`${String(value)}\``);
  return value;
}

export function profileOption(value: unknown): Profile {
  if (value !== 'pdf' && value !== 'print') throw new UsageError(`--profile must be pdf or print, not \`${String(value)}\``);
  return value;
}

/** SOURCE_DATE_EPOCH (reproducible-builds.org): whole seconds, or unset. */
export function sourceDateEpoch(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.SOURCE_DATE_EPOCH;
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,12}$/.test(value)) throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not \`${value.slice(0, 40)}\``);
  return Number(value);
}

export function helpText(commands: Command[]): string {
  const usage = commands.flatMap((c) => c.usage.map((u) => `  letterpress ${u}`));
  const summaries = commands.map((c) => `  ${c.name.padEnd(14)}${c.summary}`);
  const options = commands.flatMap((c) => c.options.map(([flag, meaning]) => `  ${flag.padEnd(22)}${meaning}  (${c.name})`));
  return `letterpress — Markdown LP letters to print-grade PDFs

Usage:
${usage.join('\n')}
  letterpress --help

Commands:
${summaries.join('\n')}

Options:
${options.join('\n')}
  -h, --help            show this help

Exit codes: 0 done, 1 a letter or its data has errors, 2 bad command line,
            3 a tool is missing (Chromium, qpdf, Ghostscript), 75 the archive is
            locked by another run, 130 interrupted, 70 internal error.
`;
}
