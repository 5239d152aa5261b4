import { parseArgs } from 'node:util';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../common/errors.ts';
import { defaultLetterPaths } from '../load/load-letters.ts';
import type { HouseStyle } from '../config/house-style-schema.ts';
import type { Paper, Profile } from '../config/page-setup.ts';
import { isOutputCondition, type OutputCondition, outputConditionNames } from '../config/output-conditions.ts';
import type { Command, ParsedArgs } from './command.ts';

/** A command's arguments, parsed as its declaration says; node:util's errors become UsageErrors. */
export function parseCommandArgs(command: Command, args: string[]): ParsedArgs {
  const options = Object.fromEntries(
    command.options.map((o) => [
      o.name,
      o.value === undefined ? { type: 'boolean' as const, default: false } : o.repeatable ? { type: 'string' as const, multiple: true } : { type: 'string' as const, default: o.default },
    ]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const option = /'(-[^']*)'/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option \`${option}\`; \`letterpress ${command.name} --help\` lists its options`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`unexpected argument: ${message.split('.')[0]}`);
    throw new UsageError(message.split('. ')[0] ?? message);
  }
  // A refused option is named first, whatever else is wrong with the line.
  const refused = command.options.find((o) => o.refused !== undefined && parsed.values[o.name] !== undefined);
  if (refused?.refused !== undefined) throw new UsageError(refused.refused);
  for (const option of command.options) {
    const value = parsed.values[option.name];
    // `--out ''` would resolve to the current folder and write there: an empty value is a slip, not a choice.
    if (value === '' || (Array.isArray(value) && value.includes(''))) throw new UsageError(`--${option.name} is empty: give it a value`);
    if (option.required && value === undefined) throw new UsageError(`${command.name} needs --${option.name} ${option.value ?? ''}`.trimEnd());
  }
  // Only string options are repeatable: a list is a list of strings.
  return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
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

/** `--config FILE`, for the commands that print letters. */
export const configOptions = { config: { type: 'string' } } as const;

/** The house style: `--config FILE`, else `letterpress.config.yaml` in the project, else the built-in design. */
export async function houseStyleOption(value: unknown, cwd: string): Promise<HouseStyle> {
  // Loaded when a command asks: --help and usage errors do not load the schema.
  const { loadHouseStyle } = await import('../config/load-house-style.ts');
  return loadHouseStyle(cwd, typeof value === 'string' ? value : undefined);
}

/** `--paper`, else the house style's paper. */
export function paperOption(value: unknown, house?: HouseStyle): Paper {
  if (value === undefined && house) return house.paper;
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
