import { describe, expect, it } from 'vitest';
import { manifestSchema } from '../../src/archive/manifest.ts';

const manifest = {
  slug: 'memo',
  date: '2024-01',
  version: 1,
  previous: null,
  title: '备忘',
  sourcePath: 'content/memo.md',
  paper: 'a4',
  profile: 'pdf',
  pages: 3,
  pdfa: true,
  signature: null,
  toc: [],
  files: { 'memo.md': { sha256: 'a'.repeat(64), bytes: 1 } },
  letterpressVersion: '0.1.0',
  chromiumVersion: 'HeadlessChrome/140',
  fonts: [],
  sourceDateEpoch: null,
  builtAt: '2024-01-31T00:00:00.000Z',
};

describe('manifest.json', () => {
  it('records the signer by name and certificate fingerprint, or null when unsigned', () => {
    expect(manifestSchema.safeParse({ ...manifest, signature: { signer: 'Shixiang IR', fingerprint: 'b'.repeat(64) } }).success).toBe(true);
    expect(manifestSchema.safeParse({ ...manifest, signature: { signer: 'Shixiang IR', fingerprint: 'B2:C3' } }).success).toBe(false);
  });

  it('a `folders` record that leads out of the rebuild’s folder is not a manifest (a rebuild writes there)', () => {
    expect(manifestSchema.safeParse({ ...manifest, folders: { letter: 'content', assets: 'assets' } }).success).toBe(true);
    for (const folders of [{ letter: '../..', assets: 'assets' }, { letter: 'content', assets: '/etc' }, { letter: '', assets: 'assets' }]) {
      expect(manifestSchema.safeParse({ ...manifest, folders }).success, JSON.stringify(folders)).toBe(false);
    }
  });
});
