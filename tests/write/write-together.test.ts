import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { temporaryFor } from '../../src/write/write-atomic.ts';
import { recoverFolder, writeTogether } from '../../src/write/write-together.ts';

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

let dir: string;
const file = (name: string): string => path.join(dir, name);

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-write-'));
  await writeFile(file('a.html'), 'old html');
  await writeFile(file('a.pdf'), 'old pdf');
});

describe('writeTogether', () => {
  it('replaces every file and leaves nothing else', async () => {
    await writeTogether(dir, [
      { path: file('a.html'), data: 'new html' },
      { path: file('a.pdf'), data: new Uint8Array([1, 2, 3]) },
    ]);
    expect(await readFile(file('a.html'), 'utf8')).toBe('new html');
    expect([...(await readFile(file('a.pdf')))]).toEqual([1, 2, 3]);
    expect((await readdir(dir)).sort()).toEqual(['a.html', 'a.pdf']);
  });

  it('changes nothing when one file cannot be written, and removes its temporaries', async () => {
    // A folder where the second temporary must go makes its write fail after the first one succeeded.
    await mkdir(temporaryFor(file('a.pdf')));
    await expect(
      writeTogether(dir, [
        { path: file('a.html'), data: 'new html' },
        { path: file('a.pdf'), data: 'new pdf' },
      ]),
    ).rejects.toThrow();
    expect(await readFile(file('a.html'), 'utf8')).toBe('old html');
    expect(await readFile(file('a.pdf'), 'utf8')).toBe('old pdf');
    expect((await readdir(dir)).sort()).toEqual(['a.html', 'a.pdf', path.basename(temporaryFor(file('a.pdf')))]);
  });

  it('refuses a file outside its folder', async () => {
    await expect(writeTogether(dir, [{ path: path.join(os.tmpdir(), 'elsewhere.html'), data: 'x' }])).rejects.toThrow(/is not in/);
  });
});

describe('recoverFolder: what a killed run left behind', () => {
  it('removes the temporaries of a run killed before its journal, and keeps the old outputs', async () => {
    const pid = deadPid();
    await writeFile(temporaryFor(file('a.html'), pid), 'half of a new html');
    await recoverFolder(dir);
    expect(await readFile(file('a.html'), 'utf8')).toBe('old html');
    expect((await readdir(dir)).sort()).toEqual(['a.html', 'a.pdf']);
  });

  it('completes the renames of a run killed after its journal: all new outputs, none old', async () => {
    const pid = deadPid();
    // The run had written both temporaries and its journal, and renamed the first one before it died.
    await writeFile(file('a.html'), 'new html');
    await writeFile(temporaryFor(file('a.pdf'), pid), 'new pdf');
    await writeFile(file(`.letterpress-journal.${pid}.json`), JSON.stringify(['a.html', 'a.pdf']));
    await recoverFolder(dir);
    expect(await readFile(file('a.html'), 'utf8')).toBe('new html');
    expect(await readFile(file('a.pdf'), 'utf8')).toBe('new pdf');
    expect((await readdir(dir)).sort()).toEqual(['a.html', 'a.pdf']);
  });

  it('leaves the files of a run that is still alive', async () => {
    const live = temporaryFor(file('a.html'), process.ppid);
    await writeFile(live, 'being written');
    await recoverFolder(dir);
    expect(await readFile(live, 'utf8')).toBe('being written');
  });

  it('leaves files that are not its own, even if named like a temporary', async () => {
    const notes = file(`notes.${deadPid()}.tmp`);
    await writeFile(notes, 'the user’s');
    await recoverFolder(dir);
    expect(await readFile(notes, 'utf8')).toBe('the user’s');
  });
});

describe('recoverFolder: a journal that is not letterpress’s own', () => {
  it('never renames a path read from it: a name leading out of the folder is refused, and nothing changes', async () => {
    const pid = deadPid();
    const outside = await mkdtemp(path.join(os.tmpdir(), 'letterpress-write-outside-'));
    await writeFile(path.join(outside, 'victim.pdf'), 'precious');
    await writeFile(temporaryFor(path.join(outside, 'victim.pdf'), pid), 'planted');
    const journal = file(`.letterpress-journal.${pid}.json`);
    await writeFile(journal, JSON.stringify([`../${path.basename(outside)}/victim.pdf`]));
    await expect(recoverFolder(dir)).rejects.toThrow(/a journal of an unfinished write that letterpress cannot complete/);
    expect(await readFile(path.join(outside, 'victim.pdf'), 'utf8')).toBe('precious');
    expect((await readdir(dir)).sort()).toEqual([path.basename(journal), 'a.html', 'a.pdf']);
  });

  it('a journal that is not JSON is refused as well, not a crash', async () => {
    const pid = deadPid();
    await writeFile(file(`.letterpress-journal.${pid}.json`), '["a.pdf"');
    await expect(recoverFolder(dir)).rejects.toThrow(/a journal of an unfinished write that letterpress cannot complete/);
    expect(await readFile(file('a.pdf'), 'utf8')).toBe('old pdf');
  });

  it('puts no link in place of an output: a temporary that is not a regular file is left', async () => {
    const pid = deadPid();
    await symlink('/etc/hostname', temporaryFor(file('a.pdf'), pid));
    await writeFile(file(`.letterpress-journal.${pid}.json`), JSON.stringify(['a.pdf']));
    await recoverFolder(dir);
    expect(await readFile(file('a.pdf'), 'utf8')).toBe('old pdf');
  });
});
