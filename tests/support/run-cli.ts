import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CommitPoint } from '../../src/write/commit-point.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The installed command, as users run it: the bundled CLI, rebuilt first when src/ changed. */
export const cli = path.join(projectRoot, 'src/cli/letterpress.mjs');

/**
 * Node's arguments to run a script: JavaScript as it is, TypeScript the way
 * the npm scripts do, in one process with tsx's loader (the `tsx` command
 * would start a second one).
 */
export function nodeArgs(script: string, args: string[]): string[] {
  if (!script.endsWith('.ts')) return [script, ...args];
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, script, ...args];
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with the child once it is spawned (to send it signals). */
  onSpawn?: (child: ChildProcess) => void;
  /** Holds the run at a commit point (src/write/commit-point.ts) and acts on it there. */
  stopAt?: StopAt;
}

export interface StopAt {
  /** The commit point's name, e.g. `write.temporary`. */
  point: CommitPoint;
  /**
   * Called once the run is held at the point (its first time there), with the
   * child and the pid of the process held. The run stays there until it gets a
   * SIGINT or SIGTERM (then it goes on, and handles it) or is killed.
   */
  act: (child: ChildProcess, held: { pid: number }) => void | Promise<void>;
}

/** The preload that holds a run at a commit point (tests/support/commit-points.mjs). */
const commitPointsHook = pathToFileURL(path.join(projectRoot, 'tests/support/commit-points.mjs')).href;
let stops = 0;

/** Runs the real `letterpress` CLI in a child process, as a user would. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  if (options.stopAt) return runStopped(options.stopAt, options, (cliOptions) => runProcess(process.execPath, ['--import', commitPointsHook, ...nodeArgs(cli, args)], cliOptions));
  return runProcess(process.execPath, nodeArgs(cli, args), options);
}

/**
 * Runs `run` with the commit-point preload configured: the preload reports the
 * held run on a socket of this process, and `act` is called on that event. A
 * failing `act` kills the held run and fails the run.
 */
async function runStopped(stopAt: StopAt, options: CliOptions, run: (options: CliOptions) => Promise<CliResult>): Promise<CliResult> {
  const name = `letterpress-stop-${process.pid}-${stops++}`;
  const address = process.platform === 'win32' ? `\\\\.\\pipe\\${name}` : path.join(os.tmpdir(), `${name}.sock`);
  let child: ChildProcess | undefined;
  let acted: Promise<void> | undefined;
  const server = createServer((socket) => {
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('end', () => {
      const held = JSON.parse(text) as { pid: number };
      acted ??= Promise.resolve()
        .then(() => stopAt.act(child!, held))
        .catch((error: unknown) => {
          child?.kill('SIGKILL');
          throw error;
        });
      acted.catch(() => undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(address, resolve));
  try {
    const env = { ...options.env, LETTERPRESS_TEST_STOP_AT: stopAt.point, LETTERPRESS_TEST_STOP_REPORT: address };
    const result = await run({
      ...options,
      env,
      onSpawn: (spawned) => {
        child = spawned;
        options.onSpawn?.(spawned);
      },
    });
    if (!acted) throw new Error(`the run never reached ${stopAt.point}:\n${result.stderr}`);
    await acted;
    return result;
  } finally {
    server.close();
  }
}

/** Runs `command` in a child process and collects its output (runCli, or the CLI wrapped in another command). */
export function runProcess(command: string, args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? projectRoot, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    options.onSpawn?.(child);
  });
}
