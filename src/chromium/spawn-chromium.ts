import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** A Chromium started with `--remote-debugging-pipe`: its DevTools pipe, and how it ends. */
export interface ChromiumProcess {
  /** The pipe Chromium reads commands from (its fd 3). */
  commands: Writable;
  /** The pipe Chromium answers on (its fd 4). */
  answers: Readable;
  /** Settles when the process has exited (or could not be started), with why it ended. */
  exited: Promise<string>;
  /** Kills Chromium and its helpers at once (its process group, or its tree on Windows). */
  kill(): void;
}

/**
 * Starts Chromium as Puppeteer's launch would (same pipes, own process group),
 * but with no Puppeteer loaded: a command spawns it first thing and loads
 * Puppeteer (a quarter of a second) while Chromium starts. Killed when this
 * process exits, however it exits; and a kill -9 of this process closes the
 * pipe, which Chromium reads to its end and then exits.
 */
export function spawnChromium(executablePath: string, args: readonly string[], env: NodeJS.ProcessEnv): ChromiumProcess {
  const child: ChildProcess = spawn(executablePath, args, {
    detached: process.platform !== 'win32',
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  // The end of Chromium's own output, kept to say why it did not start.
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const kill = (): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
      else process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  process.on('exit', kill);
  const exited = new Promise<string>((resolve) => {
    const reason = (why: string): void => {
      process.off('exit', kill);
      const lastLine = stderr.split('\n').map((l) => l.trim()).filter(Boolean).at(-1);
      resolve(lastLine ? `${why}: ${lastLine}` : why);
    };
    child.once('error', (error) => reason(error.message));
    child.once('exit', (code, signal) => reason(signal ? `ended by ${signal}` : `exited with code ${code}`));
  });
  const [, , , commands, answers] = child.stdio as [null, null, Readable, Writable, Readable];
  // Chromium's end of a pipe goes when it closes (or a Ctrl-C reaches it first): an error there is the browser closing, which the caller sees as such.
  for (const stream of [child.stderr, commands, answers]) stream?.on('error', () => undefined);
  // Once it has exited, its pipes are closed on this side too: one nobody reads yet (Chromium killed before Puppeteer connected) would keep this process alive.
  void exited.then(() => {
    commands.destroy();
    answers.destroy();
  });
  return { commands, answers, exited, kill };
}
