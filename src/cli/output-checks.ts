import { access, constants, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../common/errors.ts';
import { describeFileSystemError, FileSystemError } from '../write/file-system-error.ts';
import { recoverFolder } from '../write/write-together.ts';

/** Where `archive`, `verify` and `diff` look for the archive unless told otherwise. */
export const defaultArchiveDir = 'dist/archive';

/**
 * Two letters of one run with the same file name would write the same output
 * files (and become two versions of one letter in the archive): refused, naming both.
 */
export function refuseSameOutputName(paths: string[]): void {
  const byName = new Map<string, string[]>();
  for (const p of paths) {
    const name = path.basename(p, path.extname(p));
    byName.set(name, [...(byName.get(name) ?? []), p]);
  }
  for (const [name, same] of byName) {
    if (same.length > 1) throw new UsageError(`${same.join(' and ')} would both be written as \`${name}\`; rename one of them, or build them in separate runs`);
  }
}

/**
 * An output folder inside an archive (the default one, or any folder under an
 * archive's catalogue or an archived version's manifest) would overwrite what
 * letterpress archived: refused. Links are resolved, so a link into the archive is caught too.
 */
export async function refuseOutputInArchive(outDir: string, cwd: string): Promise<void> {
  const out = await realPathOf(path.resolve(cwd, outDir));
  const archive = await realPathOf(path.resolve(cwd, defaultArchiveDir));
  let found = isInside(out, archive) ? archive : undefined;
  for (let dir = out; !found; dir = path.dirname(dir)) {
    if ((await isManifest(path.join(dir, 'manifest.json'))) || (await isCatalogue(path.join(dir, 'index.json')))) found = dir;
    if (dir === path.dirname(dir)) break;
  }
  if (found) throw new UsageError(`--out ${outDir} is inside the archive ${found}, which only \`letterpress archive\` writes (and never overwrites); choose a folder outside it`);
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of the longest part of `target` that exists, with the rest appended. */
async function realPathOf(target: string): Promise<string> {
  const rest: string[] = [];
  for (let dir = target; ; dir = path.dirname(dir)) {
    const real = await realpath(dir).catch(() => undefined);
    if (real !== undefined) return path.join(real, ...rest.reverse());
    if (dir === path.dirname(dir)) return target;
    rest.push(path.basename(dir));
  }
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A letterpress version's manifest (not any manifest.json, such as a web app's). */
async function isManifest(file: string): Promise<boolean> {
  const data = await readJson(file);
  return data !== undefined && typeof data.slug === 'string' && typeof data.version === 'number' && typeof data.files === 'object';
}

/** A letterpress archive's catalogue. */
async function isCatalogue(file: string): Promise<boolean> {
  return Array.isArray((await readJson(file))?.letters);
}

/**
 * The output folder, checked before anything is built: a folder letterpress
 * can write into (made when missing), not a file (such as the letter itself).
 */
export async function prepareOutputFolder(outDir: string, option = '--out'): Promise<void> {
  if ((await stat(outDir).catch(() => undefined))?.isDirectory() === false) {
    throw new UsageError(`${option} ${outDir} is a file, not a folder; name a folder (it is made when missing)`);
  }
  try {
    // The folder is made only when the outputs are written (a failed build leaves no empty folder): its nearest existing ancestor must take it.
    let existing = outDir;
    while (!(await stat(existing).catch(() => undefined)) && path.dirname(existing) !== existing) existing = path.dirname(existing);
    if (!(await stat(existing)).isDirectory()) throw new UsageError(`${option} ${outDir}: ${existing} is a file, not a folder; name a folder (it is made when missing)`);
    await access(existing, constants.W_OK);
  } catch (error) {
    const reason = describeFileSystemError(error, outDir);
    throw reason === undefined ? error : new FileSystemError(`${option} ${reason}`);
  }
}

/**
 * What a killed build left in a folder of outputs (see recoverFolder): done at
 * the start of every command that reads or writes such a folder, so that none
 * works on old and new outputs mixed. File-system failures are one line.
 */
export async function recoverOutputFolder(dir: string): Promise<void> {
  try {
    await recoverFolder(dir);
  } catch (error) {
    const reason = describeFileSystemError(error, dir);
    throw reason === undefined ? error : new FileSystemError(`cannot complete what an interrupted build left in ${dir}: ${reason}`);
  }
}
