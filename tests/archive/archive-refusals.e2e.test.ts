import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/run-cli.ts';
import { memoName, memoSource, tempProject, treeDigest, versionDir } from './archive-project.ts';

/** The failure's own line (usage errors print the help after it), never a stack trace or exit 70. */
function failure(result: CliResult, code: number): string {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result.stderr.split('\n').find((l) => l.startsWith('letterpress: ')) ?? '';
}

/**
 * What letterpress did not write is never overwritten, and every mistake with
 * the archive ends in one line with the fix; the archive stays byte-identical.
 */
describe('refusals around the archive', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  let digest: string[];
  beforeAll(async () => {
    project = await tempProject();
    const result = await runCli(['archive'], { cwd: project.dir });
    if (result.code !== 0) throw new Error(result.stderr);
    // Two letters with one name, in two folders.
    for (const dir of ['a', 'b']) {
      await mkdir(path.join(project.dir, dir));
      await writeFile(path.join(project.dir, dir, 'x.md'), await memoSource());
    }
    digest = await treeDigest(project.archive);
  }, 120_000);

  it('build --out into an archived version (exit 2)', async () => {
    const out = path.relative(project.dir, versionDir(project.archive, 1));
    const line = failure(await runCli(['build', `content/${memoName}.md`, '--out', out], { cwd: project.dir }), 2);
    expect(line).toBe(`letterpress: --out ${out} is inside the archive ${project.archive}, which only \`letterpress archive\` writes (and never overwrites); choose a folder outside it`);
    expect(await treeDigest(project.archive)).toEqual(digest);
  });

  it('build --out into an archive elsewhere, found by its catalogue or a version’s manifest (exit 2)', async () => {
    const elsewhere = path.join(project.dir, 'records/letters');
    await cp(project.archive, elsewhere, { recursive: true });
    const copied = await treeDigest(elsewhere);
    for (const out of ['records/letters/new', `records/letters/2023-12/${memoName}/v1/sub`]) {
      const line = failure(await runCli(['build', `content/${memoName}.md`, '--out', out], { cwd: project.dir }), 2);
      expect(line).toMatch(new RegExp(`^letterpress: --out ${out} is inside the archive ${project.dir}/records/letters`));
    }
    expect(await treeDigest(elsewhere)).toEqual(copied);
  });

  it('build and archive refuse two letters with the same output name, naming both (exit 2), and write nothing', async () => {
    const build = failure(await runCli(['build', 'a/x.md', 'b/x.md', '--out', 'out'], { cwd: project.dir }), 2);
    expect(build).toBe('letterpress: a/x.md and b/x.md would both be written as `x`; rename one of them, or build them in separate runs');
    expect(await readdir(project.dir)).not.toContain('out');
    const archive = failure(await runCli(['archive', 'a/x.md', 'b/x.md'], { cwd: project.dir }), 2);
    expect(archive).toBe('letterpress: a/x.md and b/x.md would both be written as `x`; rename one of them, or build them in separate runs');
    expect(await treeDigest(project.archive)).toEqual(digest);
  });

  it('verify and diff on a missing archive (exit 1); archive, verify and diff on a file instead of a folder', async () => {
    const missing = failure(await runCli(['verify', '--archive', 'nowhere'], { cwd: project.dir }), 1);
    expect(missing).toBe(`letterpress: there is no archive at ${project.dir}/nowhere; name it with --archive DIR (default dist/archive), or start one with \`letterpress archive\``);
    const diff = failure(await runCli(['diff', memoName, 'v1', 'v2', '--archive', 'nowhere'], { cwd: project.dir }), 1);
    expect(diff).toBe(`letterpress: there is no archive at ${project.dir}/nowhere; name it with --archive DIR (default dist/archive)`);

    const file = `content/${memoName}.md`;
    expect(failure(await runCli(['archive', '--archive', file], { cwd: project.dir }), 2)).toBe(`letterpress: --archive ${file} is a file, not a folder; name the archive's folder`);
    expect(failure(await runCli(['archive', '--archive', `${file}/sub`], { cwd: project.dir }), 1)).toBe(
      `letterpress: ${project.dir}/${file}/sub: ENOTDIR: a file stands where a folder is needed; check the path`,
    );
    expect(failure(await runCli(['verify', '--archive', file], { cwd: project.dir }), 1)).toMatch(/^letterpress: there is no archive at /);
    expect(failure(await runCli(['diff', memoName, 'v1', 'v2', '--archive', file], { cwd: project.dir }), 1)).toMatch(/^letterpress: there is no archive at /);
  });

  it('diff of an unknown letter names the letters there are (exit 1); diff --out inside the archive (exit 2)', async () => {
    const unknown = failure(await runCli(['diff', 'nope', 'v1', 'v2'], { cwd: project.dir }), 1);
    expect(unknown).toBe(`letterpress: no letter \`nope\` in the archive ${project.archive}; it holds ${memoName}`);
    const inside = failure(await runCli(['diff', memoName, 'v1', 'v1', '--out', 'dist/archive/redlines'], { cwd: project.dir }), 2);
    expect(inside).toMatch(/^letterpress: --out dist\/archive\/redlines is inside the archive /);
    expect(await treeDigest(project.archive)).toEqual(digest);
  });
});
