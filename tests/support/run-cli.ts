import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
}

/** Runs the real `letterpress` CLI in a child process, as a user would. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, nodeArgs(cli, args), options);
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
