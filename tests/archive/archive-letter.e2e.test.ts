import { readdir, readFile, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestSchema, sha256Of } from '../../src/archive/manifest.ts';
import { readPdf } from '../support/pdf.ts';
import { runCli } from '../support/run-cli.ts';
import { fileStates, memoName, memoSource, tempProject, versionDir } from './archive-project.ts';

/**
 * One project, in order: archive the memo, archive it again unchanged, change
 * one character and archive, redline v1 → v2. Each step checks the files on disk.
 */
describe('letterpress archive, then diff', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  beforeAll(async () => {
    project = await tempProject();
  });

  it('stores v1: PDF, HTML, the exact source and a manifest whose hashes match', async () => {
    const result = await runCli(['archive'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`added      dist/archive/2023-12/${memoName}/v1`);
    const v1 = versionDir(project.archive, 1);
    expect((await readdir(v1)).sort()).toEqual([`${memoName}.html`, `${memoName}.md`, `${memoName}.pdf`, 'manifest.json']);
    expect(await readFile(path.join(v1, `${memoName}.md`), 'utf8')).toBe(await memoSource());

    const manifest = manifestSchema.parse(JSON.parse(await readFile(path.join(v1, 'manifest.json'), 'utf8')));
    for (const [name, recorded] of Object.entries(manifest.files)) {
      const data = await readFile(path.join(v1, name));
      expect(recorded, name).toEqual({ sha256: sha256Of(data), bytes: data.length });
    }
    const pages = await readPdf(await readFile(path.join(v1, `${memoName}.pdf`)));
    expect(manifest).toMatchObject({ slug: memoName, date: '2023-12', version: 1, paper: 'a4', profile: 'pdf', pages: pages.length, sourceDateEpoch: null });
    expect(manifest.toc.map((t) => t.title)).toEqual(['I. 闭源模型', 'II. 开源模型', 'III. 多模态模型', 'IV. 大模型应用格局']);
    expect(manifest.toc.every((t) => t.page >= 1 && t.page <= pages.length)).toBe(true);
    expect(manifest.chromiumVersion).toMatch(/Chrome\/\d+\./);
    expect(manifest.fonts).toEqual([
      '@expo-google-fonts/noto-serif-sc@0.4.3',
      '@expo-google-fonts/noto-sans-sc@0.4.3',
      '@expo-google-fonts/noto-serif@0.4.2',
      '@expo-google-fonts/noto-sans@0.4.2',
      '@expo-google-fonts/noto-sans-mono@0.4.2',
      '@expo-google-fonts/noto-sans-symbols@0.4.1',
      '@expo-google-fonts/noto-sans-symbols-2@0.4.1',
      '@expo-google-fonts/noto-emoji@0.4.7',
      'katex@0.16.47',
    ]);
    // The build time is in the manifest, and not in the PDF, whose dates are the letter's.
    expect(Date.now() - Date.parse(manifest.builtAt)).toBeLessThan(120_000);
    expect(Buffer.from(await readFile(path.join(v1, `${memoName}.pdf`))).includes(manifest.builtAt.slice(0, 4) + manifest.builtAt.slice(5, 7) + manifest.builtAt.slice(8, 10))).toBe(false);
  });

  it('writes a catalogue whose every link opens a file of the archive', async () => {
    const index = JSON.parse(await readFile(path.join(project.archive, 'index.json'), 'utf8')) as {
      letters: { title: string; versions: { files: Record<string, { href: string; sha256: string }>; manifest: { href: string } }[] }[];
    };
    expect(index.letters).toHaveLength(1);
    expect(index.letters[0]!.title).toBe('拾象大模型观察思考 - 最新判断猜想');
    const html = await readFile(path.join(project.archive, 'index.html'), 'utf8');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toMatch(/@font-face/);
    expect(html).not.toMatch(/https?:/);
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs).toHaveLength(4);
    for (const href of hrefs) await access(path.join(project.archive, href));
    const pdf = index.letters[0]!.versions[0]!.files.pdf!;
    expect(pdf.sha256).toBe(sha256Of(await readFile(path.join(project.archive, pdf.href))));
    expect(html).toContain(pdf.sha256);
  });

  it('archiving the same source again writes nothing and says so', async () => {
    const before = await fileStates(path.join(project.archive, '2023-12'));
    const result = await runCli(['archive', '--archive', 'dist/archive'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/unchanged .*v1 .*identical; nothing written/);
    expect(result.stderr).not.toContain('pdf       ');
    expect(await fileStates(path.join(project.archive, '2023-12'))).toEqual(before);
  });

  it('a source changed by one character becomes v2; every byte and mtime of v1 stays', async () => {
    const v1Before = await fileStates(versionDir(project.archive, 1));
    await writeFile(project.memo, (await memoSource()).replace('比年初预期要难', '比年初预期更难'));
    const result = await runCli(['archive'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('/v2');
    expect(await readdir(path.dirname(versionDir(project.archive, 1)))).toEqual(['v1', 'v2']);
    expect(await fileStates(versionDir(project.archive, 1))).toEqual(v1Before);
    expect(await readFile(path.join(versionDir(project.archive, 2), `${memoName}.md`), 'utf8')).toContain('比年初预期更难');
    const index = JSON.parse(await readFile(path.join(project.archive, 'index.json'), 'utf8')) as { letters: { versions: unknown[] }[] };
    expect(index.letters[0]!.versions).toHaveLength(2);
  });

  it('diff --source v1 v2: a redline of the source in dist/diff marking the one character, as HTML and as a printed PDF', async () => {
    const result = await runCli(['diff', memoName, 'v1', 'v2', '--source'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    const base = path.join(project.dir, 'dist/diff', `${memoName}-v1-v2`);
    const html = await readFile(`${base}.html`, 'utf8');
    expect(html).toContain('<del>要</del><ins>更</ins>难');
    expect(html.match(/<(ins|del)>/g)?.length).toBe(4); // the change, and the legend's two samples
    expect(html).toContain('插入 1 字 · 删除 1 字 · 1 行有改动');
    // Unchanged text is kept around the change.
    expect(html).toContain('Google 举全公司之力也才勉强接近');
    const pages = await readPdf(await readFile(`${base}.pdf`));
    const text = pages.flatMap((p) => p.items.map((i) => i.str)).join('').replace(/\s+/g, '');
    expect(text).toContain('修订对照');
    expect(text).toContain('比年初预期要更难');
    expect(text).toContain(`第1页/共${pages.length}页`);
    // The redline is not part of the record.
    expect(await readdir(path.join(project.archive, '2023-12', memoName))).toEqual(['v1', 'v2']);
  });

  it('diff names an unknown version (exit 1) and refuses a bad version argument (exit 2)', async () => {
    const unknown = await runCli(['diff', memoName, 'v1', 'v9'], { cwd: project.dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('has no v9 (it has v1, v2)');
    expect((await runCli(['diff', memoName, 'first', 'v2'], { cwd: project.dir })).code).toBe(2);
  });
});
