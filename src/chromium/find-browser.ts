import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserError } from './browser-error.ts';

/** Everything the search depends on, so it can be tried for every system from any one. */
export interface BrowserSearch {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
  exists: (file: string) => boolean;
  /** Browsers that Puppeteer installed (`npx @puppeteer/browsers install …`), best first. */
  managed: () => Promise<string[]>;
}

/** The usual places of Chrome, Chromium and Edge on each system, in order of preference. */
export function systemBrowsers(platform: NodeJS.Platform, env: BrowserSearch['env'], homedir: string): string[] {
  if (platform === 'darwin') {
    const apps = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'];
    return ['/Applications', path.posix.join(homedir, 'Applications')].flatMap((folder) => apps.map((app) => path.posix.join(folder, app)));
  }
  if (platform === 'win32') {
    const roots = [env.ProgramFiles ?? 'C:\\Program Files', env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)', env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
    const apps = ['Google\\Chrome\\Application\\chrome.exe', 'Chromium\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe'];
    return apps.flatMap((app) => roots.map((root) => path.win32.join(root, app)));
  }
  return ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable']
    .map((name) => `/usr/bin/${name}`)
    .concat('/snap/bin/chromium');
}

/** What to do when no browser is found, for this system. */
function howToGetOne(platform: NodeJS.Platform): string {
  const managed = '`npx @puppeteer/browsers install chrome-headless-shell@stable`';
  const own = 'or set PUPPETEER_EXECUTABLE_PATH to a Chrome or Chromium executable';
  if (platform === 'linux') return `install one with \`sudo apt-get install chromium\` (Debian, Ubuntu) or ${managed}, ${own}`;
  if (platform === 'darwin') return `install Google Chrome (https://www.google.com/chrome/) or run ${managed}, ${own}`;
  if (platform === 'win32') return `install Google Chrome or Microsoft Edge, or run ${managed}, ${own}`;
  return `run ${managed}, ${own}`;
}

/**
 * The browser to print with: PUPPETEER_EXECUTABLE_PATH when set (and it must
 * exist: a typo never silently falls back to another browser), else the
 * system's Chrome, Chromium or Edge, else one that Puppeteer installed.
 */
export async function findBrowser(search: BrowserSearch = thisSystem()): Promise<string> {
  const { platform, env, exists } = search;
  const configured = env.PUPPETEER_EXECUTABLE_PATH;
  if (configured) {
    if (exists(configured)) return configured;
    throw new BrowserError(`PUPPETEER_EXECUTABLE_PATH is ${configured}, which does not exist; point it at a Chrome or Chromium executable, or unset it`);
  }
  const candidates = systemBrowsers(platform, env, search.homedir);
  const found = candidates.find(exists) ?? (await search.managed()).find(exists);
  if (found) return found;
  throw new BrowserError(`no Chrome, Chromium or Edge found (looked in ${candidates.length} usual places and Puppeteer's cache); ${howToGetOne(platform)}`);
}

/** The machine letterpress runs on. */
export function thisSystem(): BrowserSearch {
  return {
    platform: process.platform,
    env: process.env,
    homedir: os.homedir(),
    exists: existsSync,
    managed: async () => {
      // Loaded only when no system browser was found: most runs never need it.
      const { getInstalledBrowsers } = await import('@puppeteer/browsers');
      const cacheDir = process.env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'puppeteer');
      const preference = ['chrome-headless-shell', 'chrome', 'chromium'];
      const installed = await getInstalledBrowsers({ cacheDir }).catch(() => []);
      return installed
        .filter((b) => preference.includes(b.browser))
        .sort((a, b) => preference.indexOf(a.browser) - preference.indexOf(b.browser))
        .map((b) => b.executablePath);
    },
  };
}
