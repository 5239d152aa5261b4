import { constants } from 'node:fs';
import { type FileHandle, open, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { type Data, VFile } from 'vfile';
import { decodeLetter, normaliseLineEndings } from './decode-letter.ts';
import { isInside } from './is-inside.ts';
import { LetterFileError } from './letter-file-error.ts';
import { limits } from './limits.ts';
import { quoteHead } from './quote.ts';

/** The letters of `content/` when no file is named. */
export async function defaultLetterPaths(contentDir: string): Promise<string[]> {
  // No content/ folder: no letters, which the command reports as such.
  const entries = await readdir(contentDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
    throw error;
  });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => path.join(contentDir, e.name))
    .sort();
}

declare module 'vfile' {
  interface DataMap {
    /** Absolute path of the project's shared image folder, when not the default `<cwd>/assets`. */
    assetsDir: string;
  }
}

export interface LoadOptions {
  /** The project's shared image folder (default `<cwd>/assets`), kept on each file for remark-local-images. */
  assetsDir?: string;
  /** The project's house style, kept on each file (default: the built-in design). */
  house?: Data['house'];
}

/**
 * Reads each letter into a VFile whose path is relative to `cwd`, as diagnostics print it.
 * A path that is no readable letter throws a LetterFileError (one line: the file, the cause, the fix);
 * a letter too large or not UTF-8 gets a fatal message and no text, so nothing parses it.
 */
export async function loadLetters(paths: string[], cwd: string, options: LoadOptions = {}): Promise<VFile[]> {
  const project = await realpath(cwd);
  if (options.assetsDir !== undefined) await checkAssetsDir(path.resolve(cwd, options.assetsDir), options.assetsDir, project);
  const files: VFile[] = [];
  for (const p of paths) files.push(await readLetter(p, cwd, project, options));
  return files;
}

/** One letter, as `loadLetters` reads it: the first step of `distribute`, `verify --rebuild` and `dev`. */
export async function loadLetter(letterPath: string, cwd: string, options: LoadOptions = {}): Promise<VFile> {
  const [file] = await loadLetters([letterPath], cwd, options);
  return file!;
}

async function readLetter(given: string, cwd: string, project: string, options: LoadOptions): Promise<VFile> {
  const absolute = path.resolve(cwd, given);
  // `.` names the folder letterpress runs in: a path of its own, so the folder is reported as such.
  const file = new VFile({ path: path.relative(cwd, absolute) || '.', cwd, value: '' });
  if (options.assetsDir) file.data.assetsDir = path.resolve(cwd, options.assetsDir);
  if (options.house) file.data.house = options.house;
  const fail = (cause: string, fix: string): LetterFileError => new LetterFileError(`letter \`${quoteHead(given)}\` ${cause}: ${fix}`);

  let real: string;
  try {
    real = await realpath(absolute);
  } catch (error) {
    throw explain(error, fail);
  }
  // A path inside the project must not lead out of it through a link (the letter, or a folder on its way).
  if (isInside(path.resolve(cwd), absolute) && !isInside(project, real)) {
    throw fail(`is a symbolic link to ${quoteHead(real)}, outside the project`, 'copy the letter into the project instead of linking to it');
  }
  let bytes: Buffer;
  try {
    // O_NOFOLLOW: the resolved path must not have become a link since it was resolved.
    // O_NONBLOCK: opening a FIFO would otherwise wait (in a thread no signal reaches) for a writer that never comes.
    const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const info = await handle.stat();
      if (info.isDirectory()) throw fail('is a folder, not a letter', 'name the Markdown files in it, e.g. `folder/*.md`');
      if (!info.isFile()) throw fail('is not a regular file', 'name a Markdown file');
      if (info.size > limits.letterBytes) {
        tooLarge(file, info.size);
        return file;
      }
      bytes = await readAtMost(handle, limits.letterBytes + 1);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw error instanceof LetterFileError ? error : explain(error, fail);
  }
  if (bytes.length > limits.letterBytes) {
    tooLarge(file, bytes.length);
    return file;
  }
  const decoded = decodeLetter(bytes);
  if ('text' in decoded) {
    file.value = decoded.text;
  } else {
    const { line, column } = decoded.invalidAt;
    const byte = decoded.byte.toString(16).toUpperCase().padStart(2, '0');
    fatal(file, `not valid UTF-8 at ${line}:${column} (byte 0x${byte}): save the letter as UTF-8`, decoded.invalidAt, 'not-utf8');
  }
  return file;
}

/** A shared image folder named on the command line must exist and lie inside the project, links resolved. */
async function checkAssetsDir(absolute: string, given: string, project: string): Promise<void> {
  const real = await realpath(absolute).catch(() => undefined);
  const shown = `\`${quoteHead(given)}\``;
  if (real === undefined) throw new LetterFileError(`assets folder ${shown} does not exist: create it or name another with --assets`);
  if (!isInside(project, real)) throw new LetterFileError(`assets folder ${shown} is outside the project: images must come from inside it`);
}

/** Up to `max` bytes of a file: its stated size is not trusted (files in /proc state 0 and hold more). */
async function readAtMost(handle: FileHandle, max: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(max);
  let length = 0;
  while (length < max) {
    const { bytesRead } = await handle.read(buffer, length, max - length, null);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return buffer.subarray(0, length);
}

function tooLarge(file: VFile, size: number): void {
  // Bytes as well: near the limit, megabytes alone would read “1.0 MB, more than 1.0 MB”.
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB (${n.toLocaleString('en-US')} bytes)`;
  fatal(file, `the letter is ${mb(size)}, more than the limit of ${mb(limits.letterBytes)}: split it into several letters`, { line: 1, column: 1 }, 'limit-file-size');
}

function fatal(file: VFile, reason: string, place: { line: number; column: number }, ruleId: string): void {
  const message = file.message(reason, { place, ruleId, source: 'letterpress' });
  message.fatal = true;
}

/** The file-system error of a named letter as one line with its cause and fix; anything unexpected is passed on as a bug. */
function explain(error: unknown, fail: (cause: string, fix: string) => LetterFileError): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return fail('does not exist', 'check the name; paths are relative to the current folder');
    case 'ENOTDIR':
      return fail('does not exist (a part of its path is a file, not a folder)', 'check the path');
    case 'EISDIR':
      return fail('is a folder, not a letter', 'name the Markdown files in it, e.g. `folder/*.md`');
    case 'ENAMETOOLONG':
      return fail('has a path too long for the file system', 'name the letter by a shorter path');
    case 'ELOOP':
      return fail('is a symbolic link that loops (or was replaced by a link while being read)', 'name the real file');
    case 'EACCES':
    case 'EPERM':
      return fail('cannot be read (permission denied)', 'make it readable, e.g. `chmod u+r`');
    default:
      return error;
  }
}

/**
 * A letter held in memory (an editor's buffer, a test) as the pipeline takes
 * it: `path` names it in diagnostics and locates its images, relative to
 * `cwd`. Its text is normalised as a file's would be (line endings, BOM).
 */
export function letterFile(letterPath: string, value: string, cwd: string, options: LoadOptions = {}): VFile {
  const file = new VFile({ path: path.relative(cwd, path.resolve(cwd, letterPath)) || '.', cwd, value: normaliseLineEndings(value.replace(/^\uFEFF/, '')) });
  if (options.assetsDir) file.data.assetsDir = path.resolve(cwd, options.assetsDir);
  if (options.house) file.data.house = options.house;
  return file;
}

/** The output name of a letter: its file name without `.md`. */
export function letterSlug(file: VFile): string {
  return file.stem ?? 'letter';
}
