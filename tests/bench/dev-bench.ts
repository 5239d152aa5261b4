/**
 * `npm run bench:dev` (issue 13.3; `npm run bench` runs it after its own): the
 * time from saving a one-character edit to the refreshed preview of
 * `letterpress dev`, against builds of the same letter as a whole process
 * (with warm caches, and cold: empty ones), interleaved round by round after a warm-up, for
 * the memo and for the 151-page letter. The edit's clock runs from the write
 * to the first frame of the preview page with the new pages swapped in (drawn
 * by pdf.js), which the page marks.
 * Reports medians and ratios; the targets are printed, not asserted.
 *
 *   npm run bench:dev [-- --rounds N]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'puppeteer-core';
import { longLetter, memoSource } from '../support/long-letter.ts';
import { launchViewer } from '../support/preview-viewer.ts';
import { projectRoot } from '../support/run-cli.ts';

const cliBundle = path.join(projectRoot, 'node_modules/.cache/letterpress/cli/main.mjs');
const longRounds = 42;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** `letterpress build` as a whole process, timed from spawn to exit; with `cacheDir`, its caches there (an empty folder: a cold build). */
function timedBuild(source: string, cwd: string, cacheDir?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const env = cacheDir ? { ...process.env, LETTERPRESS_CACHE_DIR: cacheDir } : process.env;
    const child = spawn(process.execPath, [cliBundle, 'build', source, '--out', path.join(cwd, 'dist')], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`build exited with ${code}:\n${stderr}`))));
  });
}

/** `letterpress dev` on `source`, with its preview open in a page; resolves once the first pages are shown. */
async function startPreview(source: string, cwd: string, page: Page): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cliBundle, 'dev', source], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const found = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
      if (found?.[1]) resolve(found[1]);
    });
    child.on('exit', (code) => reject(new Error(`dev exited with ${code}`)));
  });
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.version === '1', { timeout: 300_000 });
  return child;
}

/**
 * Saves a one-character edit (the first `。` of the body becomes `！` and back) and times it until the
 * preview's first frame showing version `next`, which the page marks (`letterpress:shown`); the
 * clocks of both processes are wall-clock based (performance.timeOrigin). Also returns when this
 * harness saw it (Puppeteer's polling adds a frame and a round trip), as a check on the mark, and
 * when the whole letter was on the page with its text layer (the pages in the reader's window are
 * printed and shown first).
 */
async function timedEdit(file: string, page: Page, next: number): Promise<{ shown: number; seen: number; whole: number }> {
  const source = await readFile(file, 'utf8');
  const edited = next % 2 === 0 ? source.replace('判断猜想：', '判断猜想；') : source.replace('判断猜想；', '判断猜想：');
  const start = performance.timeOrigin + performance.now();
  await writeFile(file, edited);
  const shownAt = await page.waitForFunction(
    (v) => {
      const mark = performance.getEntriesByName('letterpress:shown').find((entry) => (entry as PerformanceMark).detail === v);
      return mark ? performance.timeOrigin + mark.startTime : 0;
    },
    { timeout: 300_000, polling: 'raf' },
    next,
  );
  const seen = performance.timeOrigin + performance.now() - start;
  const shown = Number(await shownAt.jsonValue()) - start;
  if (!(shown > 0 && shown <= seen)) throw new Error(`the preview's mark (${Math.round(shown)} ms) is not between the save and the moment it was seen (${Math.round(seen)} ms)`);
  await page.waitForFunction((v) => document.body.dataset.textVersion === String(v), { timeout: 300_000, polling: 'raf' }, next);
  return { shown, seen, whole: performance.timeOrigin + performance.now() - start };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
  const rounds = Number(values.rounds);
  const work = await mkdtemp(path.join(os.tmpdir(), 'letterpress-bench-dev-'));
  const browser = await launchViewer();
  const children: ChildProcess[] = [];
  try {
    await writeFile(path.join(work, 'memo.md'), await readFile(memoSource, 'utf8'));
    await writeFile(path.join(work, 'long.md'), await longLetter(longRounds));
    process.stderr.write(`bench:dev: warm-up, then ${rounds} rounds of build/edit for the memo and the long letter (load average ${os.loadavg()[0]?.toFixed(2)})\n`);
    {
      for (const name of ['memo', 'long']) {
        const file = path.join(work, `${name}.md`);
        const page = await browser.newPage();
        await page.setViewport({ width: 1000, height: 800 });
        await timedBuild(`${name}.md`, work);
        const child = await startPreview(`${name}.md`, work, page);
        children.push(child);
        let version = 1;
        await timedEdit(file, page, ++version);
        const builds: number[] = [];
        const colds: number[] = [];
        const edits: number[] = [];
        const seen: number[] = [];
        const wholes: number[] = [];
        for (let round = 1; round <= rounds; round++) {
          builds.push(await timedBuild(`${name}.md`, work));
          const edit = await timedEdit(file, page, ++version);
          edits.push(edit.shown);
          seen.push(edit.seen);
          wholes.push(edit.whole);
          // After the edit: each edit follows a warm build, as in the figures measured before cold builds were added.
          colds.push(await timedBuild(`${name}.md`, work, await mkdtemp(path.join(work, 'cold-cache-'))));
          process.stderr.write(
            `bench:dev: ${name} round ${round}: build ${Math.round(builds.at(-1) ?? 0)} ms, cold ${Math.round(colds.at(-1) ?? 0)} ms, edit → preview ${Math.round(edit.shown)} ms (seen by the harness at ${Math.round(edit.seen)} ms, the whole letter at ${Math.round(edit.whole)} ms)\n`,
          );
        }
        const edit = median(edits);
        const target = name === 'memo' ? '≤ 300 ms and < 0.2× a cold build' : '< 0.33× a cold build';
        process.stdout.write(
          `${name.padEnd(5)} build (whole process) ${Math.round(median(builds))} ms, cold (empty caches) ${Math.round(median(colds))} ms · edit → refreshed preview ${Math.round(edit)} ms (seen by the harness at ${Math.round(median(seen))} ms, the whole letter with its text at ${Math.round(median(wholes))} ms) · ratio ${(edit / median(colds)).toFixed(2)}× the cold build, ${(edit / median(builds)).toFixed(2)}× the warm one (target ${target})\n`,
        );
        child.kill('SIGINT');
        await page.close();
      }
    }
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGINT');
    await browser.close();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
