import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { limits } from '../../src/load/limits.ts';
import { pageBoxes } from '../support/pdf.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';

const memo = path.join(projectRoot, 'content/2023-12-llm-observations.md');
const tempDir = (): Promise<string> => mkdtemp(path.join(os.tmpdir(), 'letterpress-cli-'));

/** Processes whose environment carries `mark`: the CLI and every Chromium it started inherit it. */
async function processesMarked(mark: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = await readFile(`/proc/${entry}/environ`, 'latin1');
      if (environ.includes(`LETTERPRESS_TEST_MARK=${mark}`)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

describe('letterpress CLI', () => {
  it('prints its usage with --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('letterpress build [files…] [--out DIR] [--config FILE] [--paper a4|letter] [--profile pdf|print] [--pdfx] [--output-condition ID] [--pdfa] [--html-only]');
    expect(result.stdout).toContain('letterpress sign FILE.pdf --key KEY.p12');
    const build = await runCli(['build', '--help']);
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(/^Usage: letterpress build \[files…\]/);
    expect(build.stdout).not.toContain('letterpress sign');
  });

  it('build --pdfx without Ghostscript fails before anything is printed: one line, exit 3, nothing written', async () => {
    const dir = await tempDir();
    const result = await runCli(['build', memo, '--profile', 'print', '--pdfx', '--out', path.join(dir, 'out')], { env: { PATH: '/nonexistent' } });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('letterpress: PDF/X needs Ghostscript, which is not installed: run `apt-get install -y ghostscript` (macOS: `brew install ghostscript`)\n');
    expect(await readdir(dir)).toEqual([]);
  });

  it('exits 2 on a bad command line', async () => {
    expect((await runCli(['build', '--paper', 'a3'])).code).toBe(2);
    expect((await runCli(['publish'])).code).toBe(2);
  });

  it('on a front-matter error: prints file:line:column and the key, exits 1, writes nothing', async () => {
    const dir = await tempDir();
    const source = (await readFile(memo, 'utf8')).replace('date: 2023-12', 'date: 2023-02-30').replace('author:', 'autor:');
    await writeFile(path.join(dir, 'bad.md'), source);
    const out = path.join(dir, 'dist');
    await writeFile(path.join(dir, 'keep.txt'), 'untouched');
    const before = await stat(path.join(dir, 'keep.txt'));

    const result = await runCli(['build', 'bad.md', '--out', 'dist'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bad.md');
    expect(result.stderr).toMatch(/5:7\s+error\s+front-matter key `date` is not a date that exists/);
    expect(result.stderr).toMatch(/6:1\s+error\s+unknown front-matter key `autor`/);
    expect(result.stderr).toMatch(/1:1\s+error\s+missing required front-matter key `author`/);
    expect(result.stderr).toContain('first at bad.md:1:1');
    await expect(stat(out)).rejects.toThrow();
    expect((await stat(path.join(dir, 'keep.txt'))).mtimeMs).toBe(before.mtimeMs);
    expect((await readdir(dir)).sort()).toEqual(['bad.md', 'keep.txt']);
  });

  it('refuses an output condition without --pdfx, or one it does not know, in one line with exit 2', async () => {
    const alone = await runCli(['build', memo, '--output-condition', 'fogra39']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--output-condition goes with --pdfx');
    const unknown = await runCli(['build', memo, '--profile', 'print', '--pdfx', '--output-condition', 'fogra27']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--output-condition must be one of us-swop, japan-color-2001-coated, fogra39, gracol2006-coated1, gracol2013-crpc6, not `fogra27`');
  });

  it('builds US Letter with --paper letter', async () => {
    const out = await tempDir();
    const result = await runCli(['build', memo, '--out', out, '--paper', 'letter']);
    expect(result.code).toBe(0);
    for (const { media } of await pageBoxes(await readFile(path.join(out, '2023-12-llm-observations.pdf')))) {
      expect(media.width).toBeCloseTo(612, 2);
      expect(media.height).toBeCloseTo(792, 2);
    }
  });

  it('writes only the HTML with --html-only, one progress line per stage', async () => {
    const out = await tempDir();
    const result = await runCli(['build', memo, '--out', out, '--html-only']);
    expect(result.code).toBe(0);
    expect(await readdir(out)).toEqual(['2023-12-llm-observations.html']);
    expect(result.stderr.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[1])).toEqual(['load', 'markdown', 'html', 'write', 'done']);
  });

  /**
   * Builds `files`, sends one Ctrl-C once `ready` holds for the Chromium processes of the run
   * (processes carrying its mark, the command itself left out), and checks the command's end:
   * exit 130, its line, no process left, nothing written. Returns how long the command took.
   */
  async function interruptBuild(files: string[], ready: (chromium: number) => boolean, pollMs: number): Promise<number> {
    const dir = await tempDir();
    const mark = randomUUID();
    let sent = false;
    const started = performance.now();
    const result = await runCli(['build', ...files, '--out', path.join(dir, 'out')], {
      env: { LETTERPRESS_TEST_MARK: mark },
      onSpawn: (child) => {
        const poll = setInterval(async () => {
          const chromium = (await processesMarked(mark)).filter((pid) => pid !== child.pid);
          // Looks overlap at a fast pace: only one may send (a second Ctrl-C ends the process at once, silently).
          if (!sent && ready(chromium.length)) {
            sent = true;
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, pollMs);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(sent).toBe(true);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('letterpress: interrupted (SIGINT): nothing was changed; earlier outputs are as they were');
    expect(await processesMarked(mark)).toEqual([]);
    await expect(stat(path.join(dir, 'out'))).rejects.toThrow();
    return performance.now() - started;
  }

  it('closes Chromium and exits 130 on Ctrl-C, leaving no process and no output behind', async () => {
    const dir = await tempDir();
    // Copies of the memo, so the PDF stage lasts long enough to be interrupted.
    const files = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const file = path.join(dir, `letter-${i}.md`);
        await copyFile(memo, file);
        return file;
      }),
    );
    // Chromium is up (its browser, zygotes and a renderer), then the interruption.
    await interruptBuild(files, (chromium) => chromium >= 3, 50);
  });

  it('exits 130 within 30 s on a Ctrl-C as soon as Chromium’s first process exists, leaving no process behind', async () => {
    // Chromium is spawned before Puppeteer is loaded: its first process is the moment.
    const took = await interruptBuild([memo], (chromium) => chromium > 0, 10);
    // Before the pipe's closing was passed on, the connection waited out its 180 s protocol timeout.
    expect(took).toBeLessThan(30_000);
  });
});

describe('Ctrl-C while a long letter is parsed', () => {
  it('ends the parse at once: exit 130, no later stage, nothing written', async () => {
    const dir = await tempDir();
    // Just under the size limit, every line quoted as deep as allowed: the parse alone takes several seconds.
    const line = `${'> '.repeat(limits.nestingDepth)}引用里的一句话，with English words.\n`;
    const letter = path.join(dir, 'long.md');
    await writeFile(letter, `---\ntitle: 长信\n---\n\n${line.repeat(Math.floor((limits.letterBytes - 100) / Buffer.byteLength(line)))}`);
    let signalledAt = 0;
    const result = await runCli(['build', letter, '--out', path.join(dir, 'out')], {
      onSpawn: (child) => {
        child.stderr?.on('data', (chunk: Buffer) => {
          // The load stage's line: the parse has begun; half a second into it, Ctrl-C.
          if (!signalledAt && chunk.toString().includes(' load ')) {
            signalledAt = Date.now();
            setTimeout(() => child.kill('SIGINT'), 500);
          }
        });
      },
    });
    const answeredIn = Date.now() - signalledAt - 500;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('letterpress: interrupted (SIGINT): nothing was changed; earlier outputs are as they were');
    // Had the parse run to its end, the markdown stage would have reported itself.
    expect(result.stderr).not.toMatch(/letterpress markdown/);
    expect(answeredIn, `answered ${answeredIn} ms after Ctrl-C`).toBeLessThan(2500);
    await expect(stat(path.join(dir, 'out'))).rejects.toThrow();
  });
});

describe('the bundled CLI that `npm run build` runs', () => {
  it('exists after set-up and builds the memo byte for byte like the source', async () => {
    const { spawnSync } = await import('node:child_process');
    const { inject } = await import('vitest');
    const out = await tempDir();
    const bundle = path.join(projectRoot, 'node_modules/.cache/letterpress/cli/main.mjs');
    const result = spawnSync(process.execPath, [bundle, 'build', memo, '--out', out], { cwd: os.tmpdir(), encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const name = '2023-12-llm-observations';
    expect(await readFile(path.join(out, `${name}.pdf`))).toEqual(await readFile(path.join(inject('memoOut'), `${name}.pdf`)));
    expect(await readFile(path.join(out, `${name}.html`), 'utf8')).toBe(await readFile(path.join(inject('memoOut'), `${name}.html`), 'utf8'));
  });
});
