import { mkdtemp, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { abandonedEntries } from '../process-alive.ts';

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
}

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
 * Cleans up after a distribution to `outDir` that was killed: its staging
 * folder and passwords file in the making are removed; if it died between
 * moving the earlier distribution aside and putting the new one in place, the
 * earlier one is put back.
 */
export async function removeAbandoned(outDir: string, passwordsFile?: string): Promise<void> {
  const folder = path.dirname(outDir);
  for (const name of await abandonedEntries(folder, stagingPrefix(outDir))) {
    const entry = path.join(folder, name);
    const restored = name.endsWith(previousSuffix) && (await rename(entry, outDir).then(() => true, () => false));
    if (!restored) await rm(entry, { recursive: true, force: true });
  }
  if (passwordsFile) {
    const secrets = path.dirname(passwordsFile);
    for (const name of await abandonedEntries(secrets, secretPrefix(passwordsFile))) {
      if (name.endsWith('.tmp')) await rm(path.join(secrets, name), { force: true });
    }
  }
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
