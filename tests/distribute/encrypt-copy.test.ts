import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { Permission } from '../../src/config/permissions.ts';
import { encryptCopy, newPassword, parsePermissions } from '../../src/distribute/encrypt-copy.ts';

async function onePagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]);
  doc.setTitle('plain copy');
  return doc.save();
}

describe('encryptCopy', () => {
  it('takes passwords that look like options (a leading - or --) as passwords', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'letterpress-encrypt-'));
    const passwords = { user: '-user-pw', owner: '--owner=x' };
    const encrypted = await encryptCopy(await onePagePdf(), passwords, folder);
    const file = path.join(folder, 'copy.pdf');
    await writeFile(file, encrypted);
    expect(() => execFileSync('qpdf', ['--check', file], { stdio: 'pipe' })).toThrow(/invalid password/);
    expect(execFileSync('qpdf', [`--password=${passwords.user}`, '--show-encryption', file], { encoding: 'utf8' })).toMatch(/R = 6[\s\S]*Supplied password is user password[\s\S]*AESv3/);
    expect(execFileSync('qpdf', [`--password=${passwords.owner}`, '--show-encryption', file], { encoding: 'utf8' })).toContain('Supplied password is owner password');
    // The plaintext and the job file had no name: only what the test wrote is left.
    expect(await readdir(folder)).toEqual(['copy.pdf']);
  });

  it('hands qpdf the plaintext copy and its job without a name in any folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-encrypt-'));
    const folder = path.join(dir, 'staging');
    await mkdir(folder);
    // A qpdf that looks around while it runs: what is in the folder, and what it was given.
    await mkdir(path.join(dir, 'bin'));
    await writeFile(path.join(dir, 'bin/qpdf'), `#!/bin/sh\nls -A ${folder} > ${dir}/listing\ncat /dev/fd/3 > ${dir}/input\ncat \${1#--job-json-file=} > ${dir}/job\nexit 2\n`);
    await chmod(path.join(dir, 'bin/qpdf'), 0o755);
    const plain = await onePagePdf();
    const saved = process.env.PATH;
    process.env.PATH = `${path.join(dir, 'bin')}:${saved}`;
    try {
      await expect(encryptCopy(plain, { user: 'u-secret', owner: 'o-secret' }, folder)).rejects.toThrow(/qpdf could not encrypt/);
    } finally {
      process.env.PATH = saved;
    }
    expect(await readFile(path.join(dir, 'listing'), 'utf8')).toBe('');
    expect(new Uint8Array(await readFile(path.join(dir, 'input')))).toEqual(plain);
    expect(JSON.parse(await readFile(path.join(dir, 'job'), 'utf8'))).toMatchObject({ inputFile: '/dev/fd/3', encrypt: { userPassword: 'u-secret', ownerPassword: 'o-secret' } });
    expect(await readdir(folder)).toEqual([]);
  });

  it('never shows a password in its message when qpdf fails', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'letterpress-encrypt-'));
    const passwords = { user: '-secret-user-password', owner: 'secret-owner-password' };
    const error = await encryptCopy(new TextEncoder().encode('not a PDF -secret-user-password'), passwords, folder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^qpdf could not encrypt a copy \(exit 2\): /);
    expect((error as Error).message).not.toContain('secret');
    expect(await readdir(folder)).toEqual([]);
  });

  it('makes passwords that never start a spreadsheet formula', () => {
    for (let i = 0; i < 2000; i++) expect(newPassword()).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{23}$/);
  });
});

describe('permissions of an encrypted copy', () => {
  /** qpdf's account of the file's permissions, opened with the LP's password. */
  async function shown(permissions?: Permission[]): Promise<string> {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'letterpress-encrypt-'));
    const file = path.join(folder, 'copy.pdf');
    await writeFile(file, await encryptCopy(await onePagePdf(), { user: 'lp-password', owner: 'fund-password' }, folder, permissions));
    return execFileSync('qpdf', ['--password=lp-password', '--show-encryption', file], { encoding: 'utf8' });
  }

  it('by default: printing at high resolution, nothing else (no copying, annotating, assembling, changing)', async () => {
    const text = await shown();
    expect(text).toMatch(/^P = -1340$/m);
    expect(text).toMatch(/^print low resolution: allowed$/m);
    expect(text).toMatch(/^print high resolution: allowed$/m);
    for (const refused of ['extract for any purpose', 'modify document assembly', 'modify forms', 'modify annotations', 'modify other', 'modify anything']) {
      expect(text).toMatch(new RegExp(`^${refused}: not allowed$`, 'm'));
    }
  });

  it('as --allow chooses: copying and annotating, printing at low resolution only', async () => {
    const text = await shown(parsePermissions('print-low,copy,annotate'));
    expect(text).toMatch(/^print low resolution: allowed$/m);
    expect(text).toMatch(/^print high resolution: not allowed$/m);
    expect(text).toMatch(/^extract for any purpose: allowed$/m);
    expect(text).toMatch(/^modify annotations: allowed$/m);
    expect(text).toMatch(/^modify document assembly: not allowed$/m);
  });

  it('--allow none and all; an unknown word is a usage error', async () => {
    expect(await shown(parsePermissions('none'))).toMatch(/^print low resolution: not allowed$/m);
    expect(await shown(parsePermissions('all'))).toMatch(/^modify anything: allowed$/m);
    expect(() => parsePermissions('print,edit')).toThrow(/--allow print,edit: expected none, all, or a comma-separated list of print, print-low/);
  });
});
