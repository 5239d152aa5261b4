import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempProject } from './archive-project.ts';

/** The environment of a plain shell: no SOURCE_DATE_EPOCH, whatever the suite runs with. */
const plain = { SOURCE_DATE_EPOCH: undefined };

/** Everything a letter's rebuild needs travels with it: its images from the assets folder, and SOURCE_DATE_EPOCH. */
describe('what a rebuild needs is kept', () => {
  it('build --pdfa embeds images from the assets folder, and the detached files alone rebuild the same bytes; archive keeps them too', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-assets-folder-'));
    await mkdir(path.join(dir, 'content'));
    await mkdir(path.join(dir, 'assets'));
    const source = await readFile(path.join(projectRoot, 'tests/fixtures/typography/letter/input.md'), 'utf8');
    await writeFile(path.join(dir, 'content/typo.md'), source.replace('](chart.svg', '](../assets/chart.svg'));
    await cp(path.join(projectRoot, 'tests/fixtures/typography/letter/chart.svg'), path.join(dir, 'assets/chart.svg'));

    const built = await runCli(['build', 'content/typo.md', '--pdfa', '--out', 'out'], { cwd: dir, env: plain });
    expect(built.code, built.stderr).toBe(0);
    const pdf = path.join(dir, 'out/typo.pdf');
    const listed = execFileSync('pdfdetach', ['-list', pdf], { encoding: 'utf8' });
    expect(listed).toContain('3 embedded files');
    expect(listed).toMatch(/: assets\/chart\.svg$/m);
    expect(listed).toMatch(/: content\/typo\.md$/m);

    // Saved as laid out in the project; the build record says how to rebuild there.
    const detached = path.join(dir, 'detached');
    for (const folder of ['content', 'assets']) await mkdir(path.join(detached, folder), { recursive: true });
    execFileSync('pdfdetach', ['-saveall', '-o', detached, pdf]);
    expect(await readFile(path.join(detached, 'assets/chart.svg'))).toEqual(await readFile(path.join(dir, 'assets/chart.svg')));
    const record = JSON.parse(await readFile(path.join(detached, 'letterpress-build.json'), 'utf8')) as { rebuild: string };
    expect(record.rebuild).toBe('letterpress build content/typo.md --pdfa --assets assets --paper a4 --profile pdf');
    const args = record.rebuild.split(' ').slice(1);
    const rebuilt = await runCli([...args, '--out', 'out'], { cwd: detached, env: plain });
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect((await readFile(path.join(detached, 'out/typo.pdf'))).equals(await readFile(pdf))).toBe(true);

    const archived = await runCli(['archive', 'content/typo.md'], { cwd: dir, env: plain });
    expect(archived.code, archived.stderr).toBe(0);
    const version = path.join(dir, 'dist/archive/2024-06-30/typo/v1');
    expect(await readFile(path.join(version, 'assets/chart.svg'))).toEqual(await readFile(path.join(dir, 'assets/chart.svg')));
    const manifest = JSON.parse(await readFile(path.join(version, 'manifest.json'), 'utf8')) as { folders: unknown; files: Record<string, unknown> };
    expect(manifest.folders).toEqual({ letter: 'content', assets: 'assets' });
    expect(Object.keys(manifest.files)).toContain('assets/chart.svg');
    const verified = await runCli(['verify', '--rebuild'], { cwd: dir, env: plain });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('PDF byte-identical, HTML byte-identical');
    // The same letter and image again: unchanged.
    const again = await runCli(['archive', 'content/typo.md'], { cwd: dir, env: plain });
    expect(again.stdout).toMatch(/^unchanged /);
    // The rebuild's own folder is gone.
    expect((await readdir(os.tmpdir())).filter((n) => n.startsWith('letterpress-rebuild-'))).toEqual([]);
  });

  it('SOURCE_DATE_EPOCH=… archive, then verify --rebuild in a plain shell: the same PDF', async () => {
    const project = await tempProject();
    const archived = await runCli(['archive'], { cwd: project.dir, env: { SOURCE_DATE_EPOCH: '1701388800' } });
    expect(archived.code, archived.stderr).toBe(0);
    const verified = await runCli(['verify', '--rebuild'], { cwd: project.dir, env: plain });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('PDF byte-identical, HTML byte-identical');
    expect(verified.stdout).not.toContain('PDF differs');
  });
});
