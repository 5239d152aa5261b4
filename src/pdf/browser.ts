import path from 'node:path';
import puppeteer, { TimeoutError, type Browser } from 'puppeteer-core';
import { InterruptedError } from '../errors.ts';
import { projectRoot } from '../project-root.ts';
import { BrowserError } from './browser-error.ts';
import { newProfileFolder, removeAbandonedProfiles, removeProfile } from './browser-profile.ts';
import { findBrowser } from './find-browser.ts';
import { launchArgs } from './launch-args.ts';

const noSystemFonts = path.join(projectRoot, 'src/pdf/no-system-fonts.conf');


export interface BrowserOptions {
  /** The browser to start (default: findBrowser()). */
  executablePath?: string;
  /** How long Chromium may take to start before letterpress gives up (default 30 s). */
  launchTimeoutMs?: number;
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
 * close it on Ctrl-C, and it is driven through a pipe (`pipe: true`), which
 * Chromium reads to its end and then exits, so even a kill -9 of letterpress
 * (or of its process group) takes the browser with it.
 */
export function startBrowser(options: BrowserOptions = {}): BrowserStart {
  let browser: Browser | undefined;
  let interrupted = false;
  const abort = new AbortController();
  // Installed before the launch, so a Ctrl-C while Chromium starts also stops it.
  const onSignal = (): void => {
    interrupted = true;
    abort.abort(new InterruptedError());
    void browser?.close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let profile: string | undefined;
  const launching = (async () => {
    const executablePath = options.executablePath ?? (await findBrowser());
    await removeAbandonedProfiles();
    profile = await newProfileFolder();
    browser = await launch(executablePath, profile, options.launchTimeoutMs ?? 30_000, abort);
    if (interrupted) await browser.close();
    return browser;
  })();
  // A failed launch is reported by use(); close() must not turn it into an unhandled rejection.
  launching.catch(() => undefined);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await (await launching.catch(() => undefined))?.close();
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
 * Puppeteer's launch, bounded in time, its failures turned into one line that
 * names the browser and the fix. With a pipe Puppeteer's own timeout does not
 * cover a browser that starts and never answers, hence the timer here.
 */
async function launch(executablePath: string, userDataDir: string, timeoutMs: number, abort: AbortController): Promise<Browser> {
  const fix = 'point PUPPETEER_EXECUTABLE_PATH at a working Chrome or Chromium, or unset it';
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new BrowserError(`the browser ${executablePath} did not start within ${Math.round(timeoutMs / 1000)} s (does \`${executablePath} --version\` answer?); ${fix}`);
      abort.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const launched = puppeteer.launch({
    executablePath,
    headless: true,
    pipe: true,
    userDataDir,
    args: [...launchArgs],
    env: { ...process.env, FONTCONFIG_FILE: noSystemFonts },
    timeout: timeoutMs,
    signal: abort.signal,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  try {
    const browser = await Promise.race([launched, timedOut]);
    // Chromium's end of the pipe goes when it closes (or a Ctrl-C reaches it first): a reset there is the browser
    // closing, which use() reports, not an error to crash the process with.
    for (const stream of browser.process()?.stdio ?? []) stream?.on('error', () => undefined);
    return browser;
  } catch (error) {
    // The launch fails in its own way once it is aborted; that second failure says nothing new.
    launched.then((b) => b.close(), () => undefined);
    if (abort.signal.aborted) throw abort.signal.reason;
    if (error instanceof TimeoutError) throw new BrowserError(`the browser ${executablePath} did not start within ${Math.round(timeoutMs / 1000)} s; ${fix}`);
    const reason = error instanceof Error ? error.message.split('\n').find((l) => l.trim() !== '') : String(error);
    throw new BrowserError(`${executablePath} did not start as a browser (${reason?.trim()}); ${fix}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
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
