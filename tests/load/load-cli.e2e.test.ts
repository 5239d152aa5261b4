import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const frontMatter = '---\ntitle: 命令行\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n';
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
let root: string;
let cwd: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'letterpress-load-cli-'));
  cwd = path.join(root, 'project');
  await mkdir(path.join(cwd, 'content'), { recursive: true });
  await mkdir(path.join(cwd, 'art'), { recursive: true });
  await writeFile(path.join(root, 'outside.md'), `${frontMatter}\nOUTSIDE-LETTER\n`);
  await writeFile(path.join(root, 'outside.png'), Buffer.concat([png, Buffer.from('OUTSIDE-IMAGE')]));
  await symlink(path.join(root, 'outside.md'), path.join(cwd, 'content', 'link.md'));
  await symlink('/etc/passwd', path.join(cwd, 'content', 'passwd.png'));
  await symlink(path.join(root, 'outside.png'), path.join(cwd, 'art', 'linked.png'));
  await writeFile(path.join(cwd, 'art', 'logo.png'), png);
});

/** Runs `letterpress build … --html-only --out out` in the project; returns the result and what is in the project afterwards. */
async function build(args: string[]): Promise<{ code: number | null; stderr: string; entries: string[] }> {
  const result = await runCli(['build', ...args, '--html-only', '--out', 'out'], { cwd });
  return { code: result.code, stderr: result.stderr, entries: (await readdir(cwd)).sort() };
}

const untouched = ['art', 'content'];

describe('letters that cannot be read (exit 2, one line, nothing written)', () => {
  it.each([
    ['a folder', 'content', 'letter `content` is a folder, not a letter: name the Markdown files in it, e.g. `folder/*.md`'],
    ['a missing file', 'content/nope.md', 'letter `content/nope.md` does not exist: check the name; paths are relative to the current folder'],
    ['a 100,000-character path', 'x'.repeat(100_000), `letter \`${'x'.repeat(60)}…\` has a path too long for the file system: name the letter by a shorter path`],
  ])('%s', async (_case, letter, message) => {
    const { code, stderr, entries } = await build([letter]);
    expect(code).toBe(2);
    expect(stderr).toBe(`letterpress: ${message}\n`);
    expect(entries).toEqual(untouched);
  });

  it('no letter named and no content/ folder', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'letterpress-empty-'));
    const result = await runCli(['build', '--html-only'], { cwd: empty });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('letterpress: no letter named, and no content/ folder here: name the letters (e.g. `letterpress build letter.md`) or run in the project folder\n');
    expect(await readdir(empty)).toEqual([]);
  });

  it.each([
    ['/etc', 'assets folder `/etc` is outside the project: images must come from inside it'],
    ['nope', 'assets folder `nope` does not exist: create it or name another with --assets'],
  ])('--assets %s', async (dir, message) => {
    const { code, stderr, entries } = await build(['content/link.md', '--assets', dir]);
    expect(code).toBe(2);
    expect(stderr).toBe(`letterpress: ${message}\n`);
    expect(entries).toEqual(untouched);
  });

  it('a letter that is a symbolic link out of the project', async () => {
    const { code, stderr, entries } = await build(['content/link.md']);
    expect(code).toBe(2);
    expect(stderr).toBe(`letterpress: letter \`content/link.md\` is a symbolic link to ${path.join(root, 'outside.md')}, outside the project: copy the letter into the project instead of linking to it\n`);
    expect(stderr).not.toContain('OUTSIDE-LETTER');
    expect(entries).toEqual(untouched);
  });
});

describe('letters with content errors (exit 1, file:line:column, nothing written)', () => {
  it.each([
    ['not UTF-8', Buffer.concat([Buffer.from(`${frontMatter}\n正文`), Buffer.from([0xff]), Buffer.from('\n')]), /10:3\s+error\s+not valid UTF-8 at 10:3 \(byte 0xFF\)/, 'bad.md:10:3'],
    ['a control character', `${frontMatter}\n正文\x1b[31m\n`, /10:3\s+error\s+control character U\+001B \(escape\)/, 'bad.md:10:3'],
    ['a YAML alias bomb', frontMatter.replace('---\ntitle', `---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${'*a, '.repeat(20)}*a]\nc: [${'*b, '.repeat(20)}*b]\ntitle`), /3:8\s+error\s+front matter expands YAML aliases/, 'bad.md:3:8'],
    ['10,000 nested block quotes', `${frontMatter}\n${'>'.repeat(10000)} 深\n`, /10:33\s+error\s+block quotes and lists nested more than 32 deep/, 'bad.md:10:33'],
    ['an image linked to /etc/passwd', `${frontMatter}\n![p](passwd.png)\n`, /10:1-10:17\s+error\s+image `passwd.png` is a link to a file outside/, 'bad.md:10:1'],
  ])('%s', async (_case, source, line, first) => {
    await writeFile(path.join(cwd, 'content', 'bad.md'), source);
    const { code, stderr, entries } = await build(['content/bad.md']);
    expect(code).toBe(1);
    expect(stderr).toMatch(line);
    expect(stderr).toContain(`nothing was written; first at content/${first}`);
    expect(stderr).not.toContain('root:x:0:0');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(entries).toEqual(untouched);
  });
});

describe('the assets folder', () => {
  it('build --assets DIR takes images from DIR, refuses a link out of the project from there, and leaves the outside bytes out', async () => {
    await writeFile(path.join(cwd, 'content', 'art.md'), `${frontMatter}\n![l](../art/logo.png)\n\n![o](../art/linked.png)\n`);
    const refused = await build(['content/art.md', '--assets', 'art']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/12:1-12:24\s+error\s+image `..\/art\/linked.png` is a link to a file outside/);
    expect(refused.entries).toEqual(untouched);

    await writeFile(path.join(cwd, 'content', 'art.md'), `${frontMatter.replace(/\n/g, '\r')}\r![l](../art/logo.png)\r`);
    const built = await build(['content/art.md', '--assets', 'art']);
    expect(built.stderr).not.toContain('error');
    expect(built.code).toBe(0);
    const html = await readFile(path.join(cwd, 'out', 'art.html'), 'utf8');
    expect(html).toContain(`src="data:image/png;base64,${png.toString('base64')}"`);
    expect(html).not.toContain('OUTSIDE-IMAGE');
    expect(html).not.toContain(Buffer.from('OUTSIDE-IMAGE').toString('base64').slice(0, 12));
  });
});
