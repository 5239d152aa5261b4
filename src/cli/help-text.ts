import { exitCodes } from '../common/errors.ts';
import type { Command, OptionSpec } from './command.ts';

/** The options --help lists: all but those accepted only to be refused. */
export function listedOptions(command: Command): OptionSpec[] {
  return command.options.filter((o) => o.refused === undefined);
}

/** `--out DIR`, `--pdfx`. */
export function optionFlag(option: OptionSpec): string {
  return option.value === undefined ? `--${option.name}` : `--${option.name} ${option.value}`;
}

/** What the option does, with its default. */
export function optionHelp(option: OptionSpec): string {
  const help = option.repeatable ? `${option.help} (repeatable)` : option.help;
  return option.default === undefined ? help : `${help} (default: ${option.default})`;
}

/** `letterpress build [files…] [--out DIR] …`: the command's one usage line. */
export function usageLine(command: Command): string {
  const options = listedOptions(command).map((o) => (o.required ? optionFlag(o) : `[${optionFlag(o)}]`));
  return ['letterpress', command.name, command.args, ...options].filter(Boolean).join(' ');
}

/** The exit codes, from the table of src/common/errors.ts. */
const exitCodeHelp = `Exit codes:\n${Object.values(exitCodes)
  .map((e) => `  ${String(e.code).padEnd(5)}${e.brief}`)
  .join('\n')}`;

function optionLines(command: Command, indent: string): string[] {
  return listedOptions(command).map((o) => `${indent}${optionFlag(o).padEnd(24)}${optionHelp(o)}`);
}

/** `letterpress --help`: every command's usage and summary, then each command's options. */
export function helpText(commands: Command[]): string {
  const options = commands.filter((c) => listedOptions(c).length > 0).flatMap((c) => [`  ${c.name}`, ...optionLines(c, '    ')]);
  return `letterpress — Markdown LP letters to print-grade PDFs

Usage:
${commands.map((c) => `  ${usageLine(c)}`).join('\n')}
  letterpress [command] --help

Commands:
${commands.map((c) => `  ${c.name.padEnd(12)}${c.summary}`).join('\n')}

Options:
${options.join('\n')}

${exitCodeHelp}
`;
}

/** `letterpress build --help`: that command alone. */
export function commandHelp(command: Command): string {
  const options = optionLines(command, '  ');
  return `Usage: ${usageLine(command)}

${command.summary}
${options.length > 0 ? `\nOptions:\n${options.join('\n')}\n` : ''}
${exitCodeHelp}
`;
}
