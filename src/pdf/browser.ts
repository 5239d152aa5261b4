import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';

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

const noSystemFonts = fileURLToPath(new URL('./no-system-fonts.conf', import.meta.url));

export class BrowserMissingError extends Error {}
export class InterruptedError extends Error {}

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
 * Runs `work` with one browser for the whole command. The browser is closed
 * when `work` ends, fails, or the user presses Ctrl-C (the interrupted work
 * then fails with an InterruptedError), so no Chromium is left behind.
 */
export async function withBrowser<T>(work: (browser: Browser) => Promise<T>): Promise<T> {
  let browser: Browser | undefined;
  let interrupted = false;
  // Installed before the launch, so a Ctrl-C while Chromium starts also closes it.
  const onSignal = (): void => {
    interrupted = true;
    void browser?.close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    browser = await puppeteer.launch({
      executablePath: browserExecutable(),
      headless: true,
      args: launchArgs,
      env: { ...process.env, FONTCONFIG_FILE: noSystemFonts },
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    if (interrupted) throw new InterruptedError('interrupted');
    const result = await work(browser);
    if (interrupted) throw new InterruptedError('interrupted');
    return result;
  } catch (error) {
    throw interrupted && !(error instanceof InterruptedError) ? new InterruptedError('interrupted', { cause: error }) : error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await browser?.close();
  }
}
