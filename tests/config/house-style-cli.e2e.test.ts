import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../support/run-cli.ts';

async function project(config: string | undefined): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-house-cli-'));
  await mkdir(path.join(dir, 'content'));
  await writeFile(path.join(dir, 'content', 'memo.md'), await readFile(path.join(projectRoot, 'content/2023-12-llm-observations.md')));
  if (config !== undefined) await writeFile(path.join(dir, 'letterpress.config.yaml'), config);
  return dir;
}

describe('letterpress build with a house style', () => {
  it('reports each problem of letterpress.config.yaml at file:line:column, exits 1 and writes nothing', async () => {
    const dir = await project('accent: "#12345"\nfaces:\n  headngs: Noto Serif SC\n');
    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/letterpress\.config\.yaml\n1:9 +error house-style key `accent` must be a colour/);
    expect(result.stderr).toMatch(/3:3 +error unknown house-style key `faces.headngs`/);
    expect(result.stderr).toContain('first at letterpress.config.yaml:1:9');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(dir)).toEqual(['content', 'letterpress.config.yaml']);
  });

  it('takes the file --config names, and refuses one that is not there (exit 2)', async () => {
    const dir = await project(undefined);
    await writeFile(path.join(dir, 'house.yaml'), 'labels:\n  zh:\n    to: 呈送\n');
    const result = await runCli(['build', '--html-only', '--config', 'house.yaml'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'dist/memo.html'), 'utf8')).toContain('<dt>呈送</dt>');
    const missing = await runCli(['build', '--html-only', '--config', 'nope.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('letterpress: --config `nope.yaml` not found: name the house style\'s YAML file (see docs/house-style.md)\n');
  });
});
