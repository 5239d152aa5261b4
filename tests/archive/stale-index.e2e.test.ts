import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { tempProject } from './archive-project.ts';

/**
 * index.html is a view of the manifests: one drawn by another version of
 * letterpress (or edited) is reported by verify, does not stop `archive`,
 * and is written again from the verified manifests.
 */
describe('an index.html that does not match the manifests', () => {
  it('is named by verify, and archive writes it again from the manifests', async () => {
    const project = await tempProject();
    expect((await runCli(['archive'], { cwd: project.dir })).code).toBe(0);
    const index = path.join(project.archive, 'index.html');
    const drawn = await readFile(index, 'utf8');
    await writeFile(index, '<!DOCTYPE html><title>an older catalogue</title>');
    const verify = await runCli(['verify'], { cwd: project.dir });
    expect(verify.code).toBe(1);
    expect(verify.stdout + verify.stderr).toContain('index.html: does not match the manifests (edited, or drawn by another version of letterpress): `letterpress archive` writes it again');

    const again = await runCli(['archive'], { cwd: project.dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('unchanged');
    expect(await readFile(index, 'utf8')).toBe(drawn);
    expect((await runCli(['verify'], { cwd: project.dir })).code).toBe(0);
  });
});
