import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../common/errors.ts';
import { letterTemplate } from './letter-template.ts';

/** The house style's file, at the project's root. */
export const houseStyleFile = 'letterpress.config.yaml';
/** The organisation a new letter names when the house style names none. */
export const defaultOrganisation = '拾象 Shixiang';

/** The organisation of the house style (`organisation:` in letterpress.config.yaml), when there is one. */
async function houseOrganisation(cwd: string): Promise<string | undefined> {
  const text = await readFile(path.join(cwd, houseStyleFile), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let config: unknown;
  try {
    config = parse(text);
  } catch (error) {
    throw new UsageError(`${houseStyleFile} is not valid YAML (${(error as Error).message.split('\n')[0]}); fix it or remove it`);
  }
  const organisation = (config as { organisation?: unknown } | null)?.organisation;
  return typeof organisation === 'string' && organisation.trim() !== '' ? organisation.trim() : undefined;
}

/** Today in the machine's time zone, as YYYY-MM-DD. */
function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Writes content/<name>.md from the template and returns its path relative to
 * cwd. The name becomes the file name (and the PDF's): a plain name, no folder.
 * An existing file is never overwritten (the file is created exclusively).
 */
export async function writeNewLetter(name: string, cwd: string, now = new Date()): Promise<string> {
  const base = name.replace(/\.md$/i, '');
  if (!/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u.test(base)) {
    throw new UsageError(`\`${name}\` cannot be a letter's name: use letters, digits, '-', '_' and '.', no folder (e.g. \`2024-q4-letter\`)`);
  }
  const rel = path.join('content', `${base}.md`);
  const organisation = (await houseOrganisation(cwd)) ?? defaultOrganisation;
  await mkdir(path.join(cwd, 'content'), { recursive: true });
  await writeFile(path.join(cwd, rel), letterTemplate({ date: localDate(now), organisation }), { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new UsageError(`${rel} exists already; letterpress new never overwrites: choose another name`);
    throw new UsageError(`cannot write ${rel} (${error.code ?? error.message})`);
  });
  return rel;
}
