import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkPasswordsFile, passwordsHeader } from '../../src/distribute/output-folder.ts';
import { UsageError } from '../../src/common/errors.ts';

let dir: string;
let out: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-passwords-'));
  out = path.join(dir, 'copies');
  await mkdir(out);
});

describe('checkPasswordsFile: a passwords file never replaces what letterpress did not write', () => {
  it('refuses an existing file that is not a passwords file (the letter itself, say), and leaves it as it was', async () => {
    const letter = path.join(dir, 'letter.md');
    await writeFile(letter, '---\ntitle: 信\n---\n正文\n');
    const error = await checkPasswordsFile(letter, out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/exists and is not a passwords file/);
    expect((error as UsageError).exitCode).toBe(2);
    expect(await readFile(letter, 'utf8')).toBe('---\ntitle: 信\n---\n正文\n');
  });

  it('accepts a new file and the passwords file of an earlier distribution', async () => {
    await expect(checkPasswordsFile(path.join(dir, 'new.csv'), out)).resolves.toBeUndefined();
    const earlier = path.join(dir, 'passwords.csv');
    await writeFile(earlier, `${passwordsHeader.join(',')}\nlp-1,A,,x.pdf,pw,owner\n`);
    await expect(checkPasswordsFile(earlier, out)).resolves.toBeUndefined();
  });

  it('refuses a folder in its place', async () => {
    await expect(checkPasswordsFile(out, path.join(dir, 'elsewhere'))).rejects.toThrow(/not a passwords file/);
  });
});
