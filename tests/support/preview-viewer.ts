import puppeteer, { type Browser } from 'puppeteer-core';
import { findBrowser } from '../../src/chromium/find-browser.ts';
import { launchArgs } from '../../src/chromium/launch-args.ts';

/**
 * A headless Chromium to look at `letterpress dev`'s preview, as a reader's
 * browser would: letterpress's own flags, except that 127.0.0.1 resolves (the
 * preview is served there); every other host still resolves to nothing.
 */
export async function launchViewer(): Promise<Browser> {
  const args = launchArgs.map((arg) => (arg.startsWith('--host-resolver-rules=') ? `${arg} , EXCLUDE 127.0.0.1` : arg));
  return puppeteer.launch({ executablePath: await findBrowser(), headless: true, pipe: true, args });
}
