import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { cacheDir } from '../common/cache-dir.ts';
import { checkQpdf } from '../distribute/encrypt-copy.ts';
import { exitCodes, LetterpressError } from '../common/errors.ts';
import { findBrowser, thisSystem } from '../chromium/find-browser.ts';
import { checkGhostscript } from '../postprocess/convert-pdfx.ts';

const run = promisify(execFile);

/** One piece of what letterpress needs: found (with what was found), or missing (with the command that fixes it). */
export interface SetupCheck {
  name: string;
  ok: boolean;
  /** What was found, or why it is missing. */
  detail: string;
  /** The command (or step) that fixes a missing piece. */
  fix?: string;
}

/** `doctor` found something missing (exit 1): the lines above name each piece and its fix. */
export class SetupIncompleteError extends LetterpressError {
  readonly exitCode = exitCodes.failed.code;
}

/** The command that installs a system package on this system. */
function installCommand(platform: NodeJS.Platform, pkg: { apt: string; brew: string; winget: string }): string {
  if (platform === 'darwin') return `brew install ${pkg.brew}`;
  if (platform === 'win32') return `winget install ${pkg.winget}`;
  return `sudo apt-get install -y ${pkg.apt}`;
}

async function browserCheck(): Promise<SetupCheck> {
  try {
    const browser = await findBrowser();
    // On Windows Chrome prints no version; finding it is the check there.
    const version = process.platform === 'win32' ? '' : (await run(browser, ['--version'], { timeout: 15_000 })).stdout.trim();
    return { name: 'browser', ok: true, detail: version ? `${browser} (${version})` : browser };
  } catch (error) {
    const message = (error as Error).message;
    // findBrowser's message names the fix after its semicolon.
    const [cause, fix] = message.includes('; ') ? [message.slice(0, message.indexOf('; ')), message.slice(message.indexOf('; ') + 2)] : [message, 'set PUPPETEER_EXECUTABLE_PATH to a Chrome or Chromium executable'];
    return { name: 'browser', ok: false, detail: cause, fix };
  }
}

async function toolCheck(name: string, check: () => Promise<void>, pkg: { apt: string; brew: string; winget: string }, usedBy: string): Promise<SetupCheck> {
  try {
    await check();
    return { name, ok: true, detail: `installed (${usedBy})` };
  } catch {
    return { name, ok: false, detail: `not installed (${usedBy})`, fix: installCommand(process.platform, pkg) };
  }
}

async function fontsCheck(): Promise<SetupCheck> {
  try {
    const { bundledFaces } = await import('../fonts/font-faces.ts');
    const missing = bundledFaces.filter((face) => !existsSync(face.file));
    if (missing.length > 0) return { name: 'fonts', ok: false, detail: `${missing.length} font file(s) missing, first ${missing[0]?.file}`, fix: 'npm ci' };
    return { name: 'fonts', ok: true, detail: `${bundledFaces.length} faces from npm packages` };
  } catch (error) {
    return { name: 'fonts', ok: false, detail: `a font package is missing (${(error as Error).message.split('\n')[0]})`, fix: 'npm ci' };
  }
}

/** A folder letterpress writes: it, or the nearest folder above it that exists, must take new files. */
async function folderCheck(name: string, folder: string, cwd: string, fix: string): Promise<SetupCheck> {
  let existing = folder;
  while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const shown = path.relative(cwd, folder) || '.';
  if (!(await stat(existing)).isDirectory()) return { name, ok: false, detail: `${path.relative(cwd, existing)} is a file, not a folder`, fix: `rm ${path.relative(cwd, existing)}` };
  try {
    await access(existing, constants.W_OK);
    return { name, ok: true, detail: `${shown} is writable` };
  } catch {
    return { name, ok: false, detail: `${path.relative(cwd, existing) || '.'} is not writable`, fix: fix.replace('DIR', path.relative(cwd, existing) || '.') };
  }
}

/** Everything letterpress needs, checked in turn (none is installed or changed here). */
export async function checkSetup(cwd: string): Promise<SetupCheck[]> {
  const cache = path.dirname(cacheDir('fonts'));
  return [
    await browserCheck(),
    await toolCheck('qpdf', checkQpdf, { apt: 'qpdf', brew: 'qpdf', winget: 'qpdf.qpdf' }, 'distribute --encrypt'),
    await toolCheck('Ghostscript', checkGhostscript, { apt: 'ghostscript', brew: 'ghostscript', winget: 'ArtifexSoftware.GhostScript' }, 'build --pdfx'),
    await fontsCheck(),
    await folderCheck('cache', cache, cwd, 'chmod u+w DIR (or set LETTERPRESS_CACHE_DIR to a writable folder)'),
    await folderCheck('output', path.join(cwd, 'dist'), cwd, 'chmod u+w DIR (or build with --out DIR elsewhere)'),
  ];
}
