import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { distributeLetter } from '../../src/distribute/distribute-letter.ts';
import { projectRoot } from '../support/run-cli.ts';

const slug = '2023-12-llm-observations';
/** Names a mail merge would run as formulas if they reached a spreadsheet as they are. */
const names = ['=1+2', '+cmd|x', '@SUM(1)', '-2+3'];

describe('distribute --encrypt with passwords that look like options, to recipients whose names look like formulas', () => {
  let dir: string;
  let log: string[];
  let made: string[];
  let rows: string[][];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-passwords-test-'));
    await mkdir(path.join(dir, 'secret'));
    await writeFile(path.join(dir, 'lps.csv'), `id,name\n${names.map((n, i) => `lp-${i + 1},"${n}"`).join('\n')}\n`);
    log = [];
    made = [];
    let n = 0;
    await distributeLetter({
      letter: path.join(projectRoot, 'content/2023-12-llm-observations.md'),
      recipients: 'lps.csv',
      cwd: dir,
      outDir: path.join(dir, 'copies'),
      paper: 'a4',
      passwordsFile: path.join(dir, 'secret/passwords.csv'),
      log: (line) => log.push(line),
      progressStream: { write: (text) => log.push(text) },
      // What qpdf read as an option before: a leading `-` (about 3 % of random passwords).
      newPassword: () => {
        const password = `-pw${++n}-${'x'.repeat(20)}`;
        made.push(password);
        return password;
      },
    });
    rows = parse(await readFile(path.join(dir, 'secret/passwords.csv'), 'utf8')) as string[][];
  });

  it('encrypts every copy with its own password, which opens it', async () => {
    expect((await readdir(path.join(dir, 'copies'))).sort()).toEqual([...names.map((_, i) => `${slug}-lp-${i + 1}.pdf`), 'distribution.json'].sort());
    for (const [i] of names.entries()) {
      const file = path.join(dir, 'copies', `${slug}-lp-${i + 1}.pdf`);
      // The owner password is made first, once for the distribution; then one user password per copy.
      const user = made[i + 1]!;
      expect(execFileSync('qpdf', [`--password=${user}`, '--show-encryption', file], { encoding: 'utf8' })).toContain('Supplied password is user password');
      expect(execFileSync('qpdf', [`--password=${made[0]}`, '--show-encryption', file], { encoding: 'utf8' })).toContain('Supplied password is owner password');
      expect(() => execFileSync('qpdf', ['--check', file], { stdio: 'pipe' })).toThrow(/invalid password/);
    }
  });

  it('writes a passwords CSV in which no cell starts a formula', () => {
    expect(rows[0]).toEqual(['id', 'name', 'email', 'file', 'password', 'owner_password']);
    for (const [i, row] of rows.slice(1).entries()) {
      expect(row[1]).toBe(`'${names[i]}`);
      // Even a password is written as text; letterpress's own never start with such a character.
      expect(row[4]).toBe(`'${made[i + 1]}`);
      expect(row[5]).toBe(`'${made[0]}`);
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('never prints a password', () => {
    const said = log.join('\n');
    expect(said).toContain('distribute 4 copies');
    for (const password of made) expect(said).not.toContain(password);
  });
});
