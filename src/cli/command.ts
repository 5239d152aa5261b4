/** A `letterpress` sub-command: its usage lines for --help, and what it does with its own arguments. */
export interface Command {
  name: string;
  /** Usage lines shown by --help, e.g. `build [files…] [--out DIR]`. */
  usage: string[];
  summary: string;
  /** Option lines shown by --help: [flag, meaning]. */
  options: [string, string][];
  /** Runs the command; throws to fail (exit codes are chosen in exit-code.ts). */
  run(args: string[], context: CommandContext): Promise<void>;
}

export interface CommandContext {
  cwd: string;
  /** One line of progress (stderr). */
  log: (line: string) => void;
  /** The command's output proper (stdout). */
  print: (text: string) => void;
}
