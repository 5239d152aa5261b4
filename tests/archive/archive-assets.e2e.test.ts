import { cp, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../support/run-cli.ts';

describe('archiving a letter with images', () => {
  it('keeps the images beside the source, rebuilds byte-identically from them, and versions an image change', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-archive-assets-'));
    await mkdir(path.join(dir, 'content'));
    await cp(path.join(projectRoot, 'tests/fixtures/typography/letter/input.md'), path.join(dir, 'content', 'typo.md'));
    await cp(path.join(projectRoot, 'tests/fixtures/typography/letter/chart.svg'), path.join(dir, 'content', 'chart.svg'));
    const version = (n: number): string => path.join(dir, 'dist/archive/2024-06-30/typo', `v${n}`);

    expect((await runCli(['archive'], { cwd: dir })).code).toBe(0);
    expect((await readdir(version(1))).sort()).toEqual(['chart.svg', 'manifest.json', 'typo.html', 'typo.md', 'typo.pdf']);
    expect(await readFile(path.join(version(1), 'chart.svg'))).toEqual(await readFile(path.join(dir, 'content', 'chart.svg')));
    const manifest = JSON.parse(await readFile(path.join(version(1), 'manifest.json'), 'utf8')) as { files: Record<string, unknown> };
    expect(Object.keys(manifest.files)).toContain('chart.svg');

    const rebuilt = await runCli(['verify', '--rebuild'], { cwd: dir });
    expect(rebuilt.code, rebuilt.stderr + rebuilt.stdout).toBe(0);
    expect(rebuilt.stdout + rebuilt.stderr).toContain('PDF byte-identical');

    // Same Markdown, another image: a new version.
    const svg = await readFile(path.join(dir, 'content', 'chart.svg'), 'utf8');
    await writeFile(path.join(dir, 'content', 'chart.svg'), svg.replace('#6b1f1f', '#1f3b6b'));
    const again = await runCli(['archive'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('added 2024-06-30/typo/v2');
  });
});
