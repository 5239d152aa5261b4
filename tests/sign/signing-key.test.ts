import { describe, expect, it } from 'vitest';
import { readSigningKey } from '../../src/sign/signing-key.ts';

describe('readSigningKey', () => {
  it('names a key that is not there before it asks for a password', async () => {
    let asked = false;
    const password = async (): Promise<string> => {
      asked = true;
      throw new Error('no password given');
    };
    await expect(readSigningKey('/nonexistent/fund.p12', password)).rejects.toThrow('cannot read the key /nonexistent/fund.p12 (ENOENT)');
    expect(asked).toBe(false);
  });
});
