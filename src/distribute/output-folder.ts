import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../common/errors.ts';
import { abandonedEntries } from '../common/process-alive.ts';

/** The manifest's name: a folder holding it was made by `letterpress distribute` and may be replaced. */
export const manifestName = 'distribution.json';

/**
 * The output folder must be new, empty, or an earlier distribution: it is
 * replaced as a whole, so stale copies of recipients no longer on the list
 * cannot linger, and a folder holding anything else (say `dist/`) is refused.
 */
export async function checkOutputFolder(outDir: string): Promise<void> {
  const entries: string[] = await readdir(outDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0 && !entries.includes(manifestName)) {
    throw new UsageError(`--out ${outDir} holds files that are not a distribution (no ${manifestName}); name a new or empty folder`);
  }
}

/**
 * The passwords file goes into an existing folder (checked now, not after every
 * copy is made) outside the folder of copies: the two are sent by different channels.
 */
export async function checkPasswordsFile(file: string, outDir: string): Promise<void> {
  const relative = path.relative(await realPath(outDir), await realPath(file));
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new UsageError(`--passwords ${file} is inside the output folder ${outDir}; keep the passwords apart from the copies`);
  }
  const folder = await stat(path.dirname(file)).catch(() => undefined);
  if (!folder?.isDirectory()) throw new UsageError(`--passwords ${file}: the folder ${path.dirname(file)} does not exist`);
  // Only a passwords file of an earlier distribution may be replaced: never a letter, a list or anything else.
  const existing = await readFile(file).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Buffer.alloc(0)));
  if (existing !== undefined && !existing.subarray(0, 200).toString('utf8').startsWith(`${passwordsHeader.join(',')}\n`)) {
    throw new UsageError(`--passwords ${file} exists and is not a passwords file of letterpress; name a new file (it is never overwritten unless it is one)`);
  }
}

/** The header of a passwords file: how an earlier one is known (and may be replaced). */
export const passwordsHeader = ['id', 'name', 'email', 'file', 'password', 'owner_password'];

/** The real path of `p`, through symbolic links, for a path that may not exist yet. */
async function realPath(p: string): Promise<string> {
  const absolute = path.resolve(p);
  try {
    return await realpath(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(await realPath(parent), path.basename(absolute));
  }
}

const stagingPrefix = (outDir: string): string => `.${path.basename(outDir)}.tmp-`;
const secretPrefix = (target: string): string => `${path.basename(target)}.`;

/** A folder beside `outDir` (same file system, so the final rename is atomic) to write the copies into; named after this run's pid. */
export function stagingFolder(outDir: string): Promise<string> {
  return mkdtemp(path.join(path.dirname(outDir), `${stagingPrefix(outDir)}${process.pid}-`));
}

/**
 * Cleans up after a distribution to `outDir` that was killed. Its staging
 * folder and the passwords file it was writing are removed: their copies were
 * never put in place. If it died between moving the earlier distribution aside
 * and putting the new one in place, the earlier one is put back. If it died
 * after putting the copies in place but before their passwords file, the
 * passwords file is put in place now: the copies in `outDir` name its SHA-256,
 * and a passwords file that matches copies in place is never removed.
 * Returns what it did, for the log.
 */
export async function removeAbandoned(outDir: string, passwordsFile?: string): Promise<string[]> {
  const done: string[] = [];
  const folder = path.dirname(outDir);
  const uncommitted = new Set<string>();
  for (const name of await abandonedEntries(folder, stagingPrefix(outDir))) {
    const entry = path.join(folder, name);
    const restored = name.endsWith(previousSuffix) && (await rename(entry, outDir).then(() => true, () => false));
    if (restored) done.push(`put the earlier distribution back in ${outDir}`);
    else await rm(entry, { recursive: true, force: true });
    if (!name.endsWith(previousSuffix)) uncommitted.add(pidOf(name, stagingPrefix(outDir)));
  }
  const committed = await committedPasswords(outDir);
  for (const target of new Set([passwordsFile, committed?.file].filter((f): f is string => f !== undefined))) {
    const secrets = path.dirname(target);
    for (const name of await abandonedEntries(secrets, secretPrefix(target))) {
      if (!name.endsWith('.tmp')) continue;
      const entry = path.join(secrets, name);
      if (committed?.file === target && (await sha256Of(entry)) === committed.sha256) {
        await rename(entry, target);
        done.push(`finished the earlier distribution: its passwords are now in ${target}`);
      } else if (uncommitted.has(pidOf(name, secretPrefix(target)))) {
        await rm(entry, { force: true });
      }
    }
  }
  return done;
}

/** The pid in a temporary's name `<prefix><pid>…`. */
const pidOf = (name: string, prefix: string): string => /^\d+/.exec(name.slice(prefix.length))?.[0] ?? '';

/** The passwords file the distribution in `outDir` was made with, as its manifest names it. */
async function committedPasswords(outDir: string): Promise<{ file: string; sha256: string } | undefined> {
  const text = await readFile(path.join(outDir, manifestName), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const passwords = (JSON.parse(text) as { passwords?: { file?: unknown; sha256?: unknown } }).passwords;
    if (typeof passwords?.file !== 'string' || typeof passwords.sha256 !== 'string') return undefined;
    return { file: path.resolve(outDir, passwords.file), sha256: passwords.sha256 };
  } catch {
    return undefined;
  }
}

export async function sha256Of(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

const previousSuffix = '-previous';

/** Puts the finished staging folder in place of `outDir`, replacing an earlier distribution. */
export async function commitFolder(staging: string, outDir: string): Promise<void> {
  const previous = `${staging}${previousSuffix}`;
  const replaced = await rename(outDir, previous).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  await rename(staging, outDir);
  if (replaced) await rm(previous, { recursive: true, force: true });
}

/** A file written in full but not yet in place: `commit` renames it to its target, `discard` removes it. */
export interface PendingFile {
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Writes a secret beside `target`, readable by its owner only (not writeAtomic:
 * that creates the file with the default, wider mode); it takes its name on commit.
 */
export async function writeSecret(target: string, data: string): Promise<PendingFile> {
  const temporary = path.join(path.dirname(target), `${secretPrefix(target)}${process.pid}.tmp`);
  await writeFile(temporary, data, { mode: 0o600 });
  return { commit: () => rename(temporary, target), discard: () => rm(temporary, { force: true }) };
}
