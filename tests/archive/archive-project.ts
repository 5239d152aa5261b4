import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, readlink, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../support/run-cli.ts';

export const memoName = '2023-12-llm-observations';
export const memoSource = (): Promise<string> => readFile(path.join(projectRoot, 'content', `${memoName}.md`), 'utf8');
export const versionDir = (archive: string, n: number): string => path.join(archive, '2023-12', memoName, `v${n}`);

/** A temporary project: content/ holding the memo (optionally edited); the CLI runs there, so dist/archive is inside it. */
export async function tempProject(edit: (source: string) => string = (s) => s): Promise<{ dir: string; archive: string; memo: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-archive-test-'));
  await mkdir(path.join(dir, 'content'));
  const memo = path.join(dir, 'content', `${memoName}.md`);
  await writeFile(memo, edit(await memoSource()));
  return { dir, archive: path.join(dir, 'dist/archive'), memo };
}

export interface FileState {
  sha256: string;
  mtimeMs: number;
}

/** Every file under `dir` (relative, `/`) with its hash and mtime: what "untouched" is checked against. */
export async function fileStates(dir: string): Promise<Map<string, FileState>> {
  const states = new Map<string, FileState>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const data = await readFile(file);
    states.set(path.relative(dir, file).split(path.sep).join('/'), { sha256: createHash('sha256').update(data).digest('hex'), mtimeMs: (await stat(file)).mtimeMs });
  }
  return states;
}

/**
 * Every entry under `dir` (never following links): each file's sha256, each
 * link's target, each folder. Equal digests: the tree is byte-identical.
 */
export async function treeDigest(dir: string): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, file).split(path.sep).join('/');
    if (entry.isSymbolicLink()) lines.push(`link ${rel} -> ${await readlink(file)}`);
    else if (entry.isDirectory()) lines.push(`dir  ${rel}`);
    else lines.push(`file ${rel} ${createHash('sha256').update(await readFile(file)).digest('hex')}`);
  }
  return lines.sort();
}
