/** What --help says of a `letterpress` sub-command; its code is loaded only when it runs. */
export interface Command {
  name: string;
  /** Usage lines shown by --help, e.g. `build [files…] [--out DIR]`. */
  usage: string[];
  summary: string;
  /** Option lines shown by --help: [flag, meaning]. */
  options: [string, string][];
  /** The command's module: its `run` does the work with the command's own arguments; it throws to fail (a LetterpressError carries its exit code). */
  load(): Promise<{ run: RunCommand }>;
}

export type RunCommand = (args: string[], context: CommandContext) => Promise<void>;

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
