import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BrowserError } from '../../src/chromium/browser-error.ts';
import { findBrowser, thisSystem, type BrowserSearch } from '../../src/chromium/find-browser.ts';

/** A machine of the given system on which only `present` exist. */
function machine(platform: NodeJS.Platform, present: string[], extra: Partial<BrowserSearch> = {}): BrowserSearch & { asked: string[] } {
  const asked: string[] = [];
  return {
    platform,
    env: {},
    homedir: platform === 'win32' ? 'C:\\Users\\lp' : platform === 'darwin' ? '/Users/lp' : '/home/lp',
    exists: (file) => {
      asked.push(file);
      return present.includes(file);
    },
    managed: async () => [],
    asked,
    ...extra,
  };
}

const failure = async (search: BrowserSearch): Promise<BrowserError> => {
  const error = await findBrowser(search).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BrowserError);
  expect((error as BrowserError).exitCode).toBe(3);
  expect((error as BrowserError).message).not.toContain('\n');
  return error as BrowserError;
};

describe('findBrowser', () => {
  it('takes PUPPETEER_EXECUTABLE_PATH first, on every system', async () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const search = machine(platform, ['/opt/my/chrome', '/usr/bin/chromium'], { env: { PUPPETEER_EXECUTABLE_PATH: '/opt/my/chrome' } });
      expect(await findBrowser(search)).toBe('/opt/my/chrome');
    }
  });

  it('fails, naming it, when PUPPETEER_EXECUTABLE_PATH does not exist, rather than use another browser', async () => {
    const error = await failure(machine('linux', ['/usr/bin/chromium'], { env: { PUPPETEER_EXECUTABLE_PATH: '/opt/typo/chrome' } }));
    expect(error.message).toBe('PUPPETEER_EXECUTABLE_PATH is /opt/typo/chrome, which does not exist; point it at a Chrome or Chromium executable, or unset it');
  });

  it('Linux: Debian’s Chromium, else Ubuntu’s, Google Chrome, Edge, the snap', async () => {
    expect(await findBrowser(machine('linux', ['/usr/bin/chromium', '/usr/bin/google-chrome']))).toBe('/usr/bin/chromium');
    expect(await findBrowser(machine('linux', ['/usr/bin/chromium-browser']))).toBe('/usr/bin/chromium-browser');
    expect(await findBrowser(machine('linux', ['/usr/bin/google-chrome-stable']))).toBe('/usr/bin/google-chrome-stable');
    expect(await findBrowser(machine('linux', ['/usr/bin/microsoft-edge']))).toBe('/usr/bin/microsoft-edge');
    expect(await findBrowser(machine('linux', ['/snap/bin/chromium']))).toBe('/snap/bin/chromium');
  });

  it('macOS: the applications in /Applications, then in ~/Applications', async () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(await findBrowser(machine('darwin', [chrome]))).toBe(chrome);
    const userEdge = '/Users/lp/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge';
    expect(await findBrowser(machine('darwin', [userEdge]))).toBe(userEdge);
    const chromium = '/Applications/Chromium.app/Contents/MacOS/Chromium';
    expect(await findBrowser(machine('darwin', [chromium, userEdge]))).toBe(chromium);
    // Never a Linux path on a Mac.
    const search = machine('darwin', []);
    await failure(search);
    expect(search.asked.some((p) => p.startsWith('/usr/bin'))).toBe(false);
  });

  it('Windows: Chrome, Chromium and Edge under Program Files, Program Files (x86) and the user’s LocalAppData', async () => {
    const env = { ProgramFiles: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\lp\\AppData\\Local' };
    const userChrome = 'C:\\Users\\lp\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe';
    expect(await findBrowser(machine('win32', [userChrome], { env }))).toBe(userChrome);
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    expect(await findBrowser(machine('win32', [edge], { env }))).toBe(edge);
    const chrome = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
    expect(await findBrowser(machine('win32', [edge, chrome], { env }))).toBe(chrome);
    // Without the variables, the default folders.
    expect(await findBrowser(machine('win32', [chrome]))).toBe(chrome);
  });

  it('then a browser that Puppeteer installed, only when the system has none', async () => {
    const shell = '/home/lp/.cache/puppeteer/chrome-headless-shell/linux-131.0/chrome-headless-shell-linux64/chrome-headless-shell';
    expect(await findBrowser(machine('linux', [shell], { managed: async () => [shell] }))).toBe(shell);
    expect(await findBrowser(machine('linux', [shell, '/usr/bin/chromium'], { managed: async () => [shell] }))).toBe('/usr/bin/chromium');
  });

  it('says how to get a browser on each system when there is none', async () => {
    const linux = await failure(machine('linux', []));
    expect(linux.message).toMatch(/^no Chrome, Chromium or Edge found/);
    expect(linux.message).toContain('sudo apt-get install chromium');
    expect(linux.message).toContain('npx @puppeteer/browsers install chrome-headless-shell@stable');
    expect(linux.message).toContain('PUPPETEER_EXECUTABLE_PATH');
    const mac = await failure(machine('darwin', []));
    expect(mac.message).toContain('install Google Chrome');
    expect(mac.message).toContain('npx @puppeteer/browsers install chrome-headless-shell@stable');
    expect(mac.message).not.toContain('apt-get');
    const windows = await failure(machine('win32', []));
    expect(windows.message).toContain('Microsoft Edge');
    expect(windows.message).not.toContain('apt-get');
  });
});

describe('findBrowser on this machine', () => {
  it('finds a browser that Puppeteer installed in its cache (PUPPETEER_CACHE_DIR), by @puppeteer/browsers’ layout', async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), 'letterpress-puppeteer-cache-'));
    const shell = path.join(cache, 'chrome-headless-shell/linux-131.0.6778.85/chrome-headless-shell-linux64/chrome-headless-shell');
    await mkdir(path.dirname(shell), { recursive: true });
    await writeFile(shell, '');
    const saved = process.env.PUPPETEER_CACHE_DIR;
    process.env.PUPPETEER_CACHE_DIR = cache;
    try {
      // The machine as it is, with its system browsers hidden.
      const system = thisSystem();
      const found = await findBrowser({ ...system, env: {}, exists: (p) => p.startsWith(cache) && system.exists(p) });
      expect(found).toBe(shell);
    } finally {
      if (saved === undefined) delete process.env.PUPPETEER_CACHE_DIR;
      else process.env.PUPPETEER_CACHE_DIR = saved;
    }
  });
});
