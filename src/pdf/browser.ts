import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { InterruptedError, ToolMissingError } from '../errors.ts';
import { projectRoot } from '../project-root.ts';

/** Flags that let Debian's Chromium run headless as root on a machine with no network. */
const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
];

const noSystemFonts = path.join(projectRoot, 'src/pdf/no-system-fonts.conf');

export class BrowserMissingError extends ToolMissingError {}

/** `PUPPETEER_EXECUTABLE_PATH` when set, else Debian's Chromium. */
export function browserExecutable(): string {
  const candidates = [process.env.PUPPETEER_EXECUTABLE_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => Boolean(p),
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new BrowserMissingError(
      `no Chromium found (looked at ${candidates.join(', ')}); run \`npm run build\` once to install it, or set PUPPETEER_EXECUTABLE_PATH`,
    );
  }
  return found;
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

/** Starts Chromium now, with the signal handlers that make sure it never outlives the command. */
export function startBrowser(): BrowserStart {
  let browser: Browser | undefined;
  let interrupted = false;
  // Installed before the launch, so a Ctrl-C while Chromium starts also closes it.
  const onSignal = (): void => {
    interrupted = true;
    void browser?.close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const launching = (async () => {
    browser = await puppeteer.launch({
      executablePath: browserExecutable(),
      headless: true,
      args: launchArgs,
      env: { ...process.env, FONTCONFIG_FILE: noSystemFonts },
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
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
    })());
  return {
    async use(work) {
      try {
        const ready = await launching;
        if (interrupted) throw new InterruptedError('interrupted');
        const result = await work(ready);
        if (interrupted) throw new InterruptedError('interrupted');
        return result;
      } catch (error) {
        throw interrupted && !(error instanceof InterruptedError) ? new InterruptedError('interrupted', { cause: error }) : error;
      }
    },
    close,
  };
}

/** Runs `work` with a browser of its own, closed when the work ends, fails or is interrupted. */
export async function withBrowser<T>(work: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = startBrowser();
  try {
    return await browser.use(work);
  } finally {
    await browser.close();
  }
}
