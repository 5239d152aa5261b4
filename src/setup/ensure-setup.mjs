#!/usr/bin/env node
// Makes a fresh machine ready, and costs a few milliseconds when it already is:
// npm dependencies from the committed lockfile, Debian's Chromium when no browser
// is found, qpdf and Ghostscript (encryption, PDF/X), the CLI bundle when src/
// changed, and (with --test) the PDF tools the test suite reads PDFs with.
// Plain Node with no static imports from node_modules: it runs before they exist.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const forTests = process.argv.includes('--test');

function run(command, args, env = {}) {
  process.stderr.write(`setup: ${command} ${args.join(' ')}\n`);
  execFileSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
}

function ensureNodeModules() {
  const stamp = path.join(root, 'node_modules', '.letterpress-lock-sha256');
  const lock = createHash('sha256').update(readFileSync(path.join(root, 'package-lock.json'))).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lock) return;
  // The development dependencies too, whatever NODE_ENV says: esbuild bundles the CLI, tsx runs the tests and benchmarks.
  run('npm', ['ci', '--include=dev', '--no-audit', '--no-fund'], { PUPPETEER_SKIP_DOWNLOAD: '1' });
  writeFileSync(stamp, lock);
}

let aptUpdated = false;
function aptInstall(packages) {
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${packages.join(', ')}: install them with \`sudo apt-get install -y ${packages.join(' ')}\``);
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) run('apt-get', ['update', '-qq'], env);
  aptUpdated = true;
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], env);
}

function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => existsSync(path.join(dir, command)));
}

function ensureBrowser() {
  const configured = process.env.PUPPETEER_EXECUTABLE_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`PUPPETEER_EXECUTABLE_PATH points at ${configured}, which does not exist`);
    return;
  }
  // Elsewhere letterpress finds Chrome or Edge itself (src/chromium/find-browser.ts) and says how to get one.
  if (process.platform !== 'linux') return;
  // The Linux places find-browser.ts looks at (plain Node here: it cannot import TypeScript).
  const usual = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];
  if ([...usual.map((name) => `/usr/bin/${name}`), '/snap/bin/chromium'].some((file) => existsSync(file))) return;
  aptInstall(['chromium']);
}

/** How to get the print tools on a system where set-up does not install them. */
const printToolsElsewhere = {
  darwin: '`brew install qpdf ghostscript`',
  win32: '`winget install qpdf.qpdf ArtifexSoftware.GhostScript` (and put both on PATH)',
};

/**
 * qpdf (distribute --encrypt) and Ghostscript (build --pdfx). A build needs
 * neither, so when they cannot be installed here set-up says exactly why and
 * how, and goes on.
 */
function ensurePrintTools() {
  const missing = [['qpdf', 'qpdf'], ['gs', 'ghostscript']].filter(([command]) => !onPath(command));
  if (missing.length === 0 || (process.platform === 'win32' && onPath('qpdf.exe') && (onPath('gswin64c.exe') || onPath('gs.exe')))) return;
  const packages = missing.map(([, pkg]) => pkg);
  const needed = 'needed by `distribute --encrypt` (qpdf) and `build --pdfx` (Ghostscript); `letterpress doctor` checks them';
  const skip = (why) => process.stderr.write(`setup: ${packages.join(' and ')} not installed: ${why}; ${needed}\n`);
  if (process.platform !== 'linux') return skip(`install with ${printToolsElsewhere[process.platform] ?? 'your package manager'}`);
  if (process.getuid?.() !== 0) return skip(`set-up is not running as root; install with \`sudo apt-get install -y ${packages.join(' ')}\``);
  try {
    aptInstall(packages);
  } catch (error) {
    skip(`apt-get failed (${error.message.split('\n')[0]}); install with \`sudo apt-get install -y ${packages.join(' ')}\``);
  }
}

function ensureTestTools() {
  const missing = [
    ['pdffonts', 'poppler-utils'],
    ['qpdf', 'qpdf'],
    ['gs', 'ghostscript'],
    ['strace', 'strace'],
    // tests/pipeline/typesetting.e2e.test.ts reads each glyph's font and box with `mutool draw -F stext`.
    ['mutool', 'mupdf-tools'],
    // The signing tests make their key and certificate with openssl.
    ['openssl', 'openssl'],
  ].filter(([command]) => !onPath(command));
  if (missing.length > 0) aptInstall(missing.map(([, pkg]) => pkg));
}

try {
  ensureNodeModules();
  // Imported only now: node_modules may have just been installed.
  const { ensureCliBundle } = await import('./cli-bundle.mjs');
  await ensureCliBundle();
  ensureBrowser();
  ensurePrintTools();
  if (forTests) ensureTestTools();
} catch (error) {
  process.stderr.write(`setup failed: ${error.message}\n`);
  process.exitCode = 3;
}
