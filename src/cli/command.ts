/**
 * One option of a command, declared once: the parser's configuration, the usage
 * line, `--help` and the reference (docs/reference.md, checked by a test) all come from it.
 */
export interface OptionSpec {
  /** The long name, without the dashes: `out` for `--out`. */
  name: string;
  /** What the option takes, as --help shows it (`DIR`, `a4|letter`); none for a switch. */
  value?: string;
  default?: string;
  /** Shown without brackets in the usage line. */
  required?: boolean;
  help: string;
  /** Accepted by the parser only to be refused with this message (never listed). */
  refused?: string;
  /** May be given more than once; its value is then the list. */
  repeatable?: boolean;
}

/** A `letterpress` sub-command: what the parser accepts and --help says of it; its code is loaded only when it runs. */
export interface Command {
  name: string;
  /** The positional arguments as the usage line shows them: `[files…]`, `<letter.md>`. */
  args: string;
  summary: string;
  options: OptionSpec[];
  /** The command's module: its `run` does the work with the parsed arguments; it throws to fail (a LetterpressError carries its exit code). */
  load(): Promise<{ run: RunCommand }>;
}

/** A command's arguments as parsed by its declaration: an option given or defaulted is a string, a switch a boolean. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export type RunCommand = (args: ParsedArgs, context: CommandContext) => Promise<void>;

export interface CommandContext {
  /** Aborted by Ctrl-C or SIGTERM (reason: an InterruptedError); checked before anything is committed. */
  signal: AbortSignal;
  cwd: string;
  /** The environment: read here, in the command layer, and passed down as options. */
  env: NodeJS.ProcessEnv;
  /** One line of progress (stderr). */
  log: (line: string) => void;
  /** The command's output proper (stdout). */
  print: (text: string) => void;
}
