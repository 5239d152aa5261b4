import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'puppeteer-core';
import { InterruptedError } from '../common/errors.ts';
import { projectRoot } from '../common/project-root.ts';
import { BrowserError } from './browser-error.ts';
import { newProfileFolder, removeAbandonedProfiles, removeProfile } from './browser-profile.ts';
import { findBrowser } from './find-browser.ts';
import { chromiumCommandLine } from './launch-args.ts';
import { PipeTransport } from './pipe-transport.ts';
import { readyPrintTab } from '../print/print-tab.ts';
import { type ChromiumProcess, spawnChromium } from './spawn-chromium.ts';

const noSystemFonts = path.join(projectRoot, 'src/chromium/no-system-fonts.conf');

/** A running Chromium: Puppeteer's handle on it, and its process. */
interface Launched {
  browser: Browser;
  chromium: ChromiumProcess;
}

export interface BrowserOptions {
  /** The browser to start (default: findBrowser()). */
  executablePath?: string;
  /** How long Chromium may take to start before letterpress gives up (default 30 s). */
  launchTimeoutMs?: number;
  /**
   * Chromium's renderer and print compositor as threads of its browser process
   * (Linux only, where it is tested): a print then starts no compositor process,
   * 40–60 ms of the memo's 0.12 s. For `dev`, which prints in one kept tab and
   * restarts a browser that stops: Chromium 156 in this mode stopped when a
   * letter was loaded into a new tab after a long letter's tab had closed, as a
   * build's tabs are.
   */
  singleProcess?: boolean;
}

/**
 * A Chromium being started: its launch overlaps whatever the command does
 * before its first print, and one browser serves every letter of a command.
 * Whoever starts it closes it.
 */
export interface BrowserStart {
  /** Runs `work` with the browser; after a Ctrl-C (which closes the browser) the work fails with an InterruptedError. */
  use<T>(work: (browser: Browser) => Promise<T>): Promise<T>;
  /** Closes the browser, used or not (safe to call more than once). */
  close(): Promise<void>;
}

/**
 * Starts Chromium now, so that it never outlives the command: signal handlers
 * close it on Ctrl-C, and it is driven through a pipe, which
 * Chromium reads to its end and then exits, so even a kill -9 of letterpress
 * (or of its process group) takes the browser with it.
 */
export function startBrowser(options: BrowserOptions = {}): BrowserStart {
  let launched: Launched | undefined;
  let interrupted = false;
  const abort = new AbortController();
  // Installed before the launch, so a Ctrl-C while Chromium starts also stops it.
  const onSignal = (): void => {
    interrupted = true;
    abort.abort(new InterruptedError());
    if (launched) void closeBrowser(launched);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let profile: string | undefined;
  const launching = (async () => {
    const executablePath = options.executablePath ?? (await findBrowser());
    profile = await newProfileFolder();
    const extra = options.singleProcess && process.platform === 'linux' ? ['--single-process'] : [];
    const started = launch(executablePath, chromiumCommandLine(profile, extra), options.launchTimeoutMs ?? 30_000, abort);
    started.catch(() => undefined);
    // Other runs' leftovers are cleared while Chromium starts (this run's folder is not among them: its run is alive).
    await removeAbandonedProfiles();
    launched = await started;
    if (interrupted) await closeBrowser(launched);
    else readyPrintTab(launched.browser);
    return launched.browser;
  })();
  // A failed launch is reported by use(); close() must not turn it into an unhandled rejection.
  launching.catch(() => undefined);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await launching.catch(() => undefined);
      if (launched) await closeBrowser(launched);
      if (profile) await removeProfile(profile);
    })());
  return {
    async use(work) {
      try {
        const ready = await launching;
        if (interrupted) throw new InterruptedError();
        const result = await work(ready);
        if (interrupted) throw new InterruptedError();
        return result;
      } catch (error) {
        throw interrupted && !(error instanceof InterruptedError) ? new InterruptedError(undefined, { cause: error }) : error;
      }
    },
    close,
  };
}

/**
 * Chromium spawned at once, then Puppeteer loaded and connected to it over the
 * pipe, bounded in time; its failures turned into one line that names the
 * browser and the fix.
 */
async function launch(executablePath: string, commandLine: string[], timeoutMs: number, abort: AbortController): Promise<Launched> {
  const fix = 'point PUPPETEER_EXECUTABLE_PATH at a working Chrome or Chromium, or unset it';
  const chromium = spawnChromium(executablePath, commandLine, { ...process.env, FONTCONFIG_FILE: noSystemFonts });
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BrowserError(`the browser ${executablePath} did not start within ${Math.round(timeoutMs / 1000)} s (does \`${executablePath} --version\` answer?); ${fix}`)), timeoutMs);
    void chromium.exited.then((why) => reject(new BrowserError(`${executablePath} did not start as a browser (${why}); ${fix}`)));
    // A Ctrl-C before the spawn (while the browser was looked for) ends it as well as one during the start.
    if (abort.signal.aborted) reject(abort.signal.reason);
    else abort.signal.addEventListener('abort', () => reject(abort.signal.reason), { once: true });
  });
  const connected = (async () => {
    const { default: puppeteer } = await import('puppeteer-core');
    return puppeteer.connect({ transport: new PipeTransport(chromium.commands, chromium.answers), defaultViewport: { width: 800, height: 600 } });
  })();
  try {
    return { browser: await Promise.race([connected, failed]), chromium };
  } catch (error) {
    chromium.kill();
    // The connection fails in its own way once Chromium is gone; that second failure says nothing new.
    connected.catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
    failed.catch(() => undefined);
  }
}

/** Closes the browser as Puppeteer's launch does: asks it to close, waits for the process, kills it if it lingers. */
async function closeBrowser({ browser, chromium }: Launched): Promise<void> {
  await browser.close().catch(() => undefined);
  await Promise.race([chromium.exited, sleep(5000, undefined, { ref: false })]);
  chromium.kill();
}

/** Runs `work` with a browser of its own, closed when the work ends, fails or is interrupted. */
export async function withBrowser<T>(work: (browser: Browser) => Promise<T>, options?: BrowserOptions): Promise<T> {
  const browser = startBrowser(options);
  try {
    return await browser.use(work);
  } finally {
    await browser.close();
  }
}
