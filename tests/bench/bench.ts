/**
 * `npm run bench` (issue 7): letterpress against the floor, each run as a whole
 * process, interleaved round by round (floor, build, long floor, long build)
 * after one warm-up round, so that noise from other work on the machine falls
 * on both sides of each ratio. Reports medians, ratios of medians, the build's
 * own stage timings, peak memory, PDF sizes and pages, and the targets (not asserted);
 * then the live preview's figures (dev-bench.ts, issue 13).
 *
 *   npm run bench [-- --rounds N]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { bundle } from '../../src/setup/bundle.mjs';
import { longLetter, richLetter } from '../support/long-letter.ts';
import { projectRoot } from '../support/run-cli.ts';
import type { FloorReport } from './floor.ts';

/** 42 rounds of the memo with their TOC come to about 150 pages. */
const longRounds = 42;
const memoPath = 'content/2023-12-llm-observations.md';
/** Both sides run as bundled JavaScript on plain Node: the build as `npm run build` runs it (bundled by the set-up), the floor bundled here the same way. */
const cliBundle = path.join(projectRoot, 'node_modules/.cache/letterpress/cli/main.mjs');
const floorBundle = path.join(projectRoot, 'node_modules/.cache/letterpress/floor/floor.mjs');
/** The package's `bin`: what `npx letterpress` runs. */
const binEntry = path.join(projectRoot, 'src/cli/letterpress.mjs');

const bundleFloor = (): Promise<void> => bundle([path.join(projectRoot, 'tests/bench/floor.ts')], path.dirname(floorBundle));

interface Timed {
  wallMs: number;
  stdout: string;
  stderr: string;
}

/** Spawns `node <args>` and times it from spawn to exit. */
function timed(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - start;
      if (code === 0) resolve({ wallMs, stdout, stderr });
      else reject(new Error(`${args.join(' ')} exited with ${code}:\n${stderr}`));
    });
  });
}

interface BuildRun {
  wallMs: number;
  /** The build's own timings (ms), from its progress lines. */
  load: number;
  markdown: number;
  html: number;
  passes: number[];
  /** Browser launch + all passes + post-processing + browser close. */
  post: number;
  write: number;
  peakMb: number;
  pdfBytes: number;
  htmlPath: string;
  pdfPath: string;
  /** Of the HTML written: a change between runs means the sources changed during the bench. */
  htmlHash: string;
}

function stageMs(stderr: string, stage: string): number {
  const match = new RegExp(`^letterpress ${stage}\\b.*\\((\\d+) ms\\)$`, 'm').exec(stderr);
  if (!match) throw new Error(`no \`${stage}\` timing in the build's output:\n${stderr}`);
  return Number(match[1]);
}

/** How a build is started: the bundle as `npm run build` runs it, or the package's `bin` as `npx letterpress` does; `cacheDir` gives it empty caches (a first build). */
interface BuildHow {
  entry?: string;
  cacheDir?: string;
}

async function build(source: string, cwd: string, outDir: string, how: BuildHow = {}): Promise<BuildRun> {
  const run = await timed([how.entry ?? cliBundle, 'build', source, '--out', outDir], cwd, how.cacheDir ? { LETTERPRESS_CACHE_DIR: how.cacheDir } : {});
  const passes = /^letterpress pdf .*: \d+ pass\(es\)(?: from estimated pages)?, (.+)$/m.exec(run.stderr)?.[1]?.split(' + ').map((t) => parseInt(t, 10));
  const peak = /^letterpress done .*peak memory (\d+) MB/m.exec(run.stderr)?.[1];
  if (!passes || !peak) throw new Error(`no pass or memory line in the build's output:\n${run.stderr}`);
  const name = path.basename(source, '.md');
  const pdfPath = path.join(outDir, `${name}.pdf`);
  const htmlPath = path.join(outDir, `${name}.html`);
  return {
    wallMs: run.wallMs,
    load: stageMs(run.stderr, 'load'),
    markdown: stageMs(run.stderr, 'markdown'),
    html: stageMs(run.stderr, 'html'),
    passes,
    post: stageMs(run.stderr, 'post'),
    write: stageMs(run.stderr, 'write'),
    peakMb: Number(peak),
    pdfBytes: (await stat(pdfPath)).size,
    htmlPath,
    pdfPath,
    htmlHash: createHash('sha256').update(await readFile(htmlPath)).digest('hex'),
  };
}

interface FloorRun extends FloorReport {
  wallMs: number;
}

async function floor(htmlPath: string, pdfPath: string): Promise<FloorRun> {
  const run = await timed([floorBundle, htmlPath, pdfPath], projectRoot);
  return { wallMs: run.wallMs, ...(JSON.parse(run.stdout) as FloorReport) };
}

async function pageCount(pdfPath: string): Promise<number> {
  return (await PDFDocument.load(await readFile(pdfPath), { updateMetadata: false })).getPageCount();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const ms = (value: number): string => `${Math.round(value).toLocaleString('en')} ms`;
const kb = (bytes: number): string => `${Math.round(bytes / 1024).toLocaleString('en')} KB`;
const pad = (text: string | number, width: number): string => String(text).padStart(width);
const mark = (ok: boolean): string => (ok ? '✓' : '✗');

/** Median of `pick` over the runs, with the range, so the noise shows. */
function spread<T>(runs: T[], pick: (run: T) => number): string {
  const values = runs.map(pick);
  return `${ms(median(values))} (${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))})`;
}

/** The build's wall time split into its stages; the parts not timed by the build itself are derived. */
function stages(run: BuildRun): [string, number][] {
  const timed = run.load + run.markdown + run.html + run.post + run.write;
  const passes = sum(run.passes);
  return [
    ['process start-up + exit (node, the bundled CLI and its imports; wall − stages)', run.wallMs - timed],
    ['load', run.load],
    ['parse (markdown stage)', run.markdown],
    ['HTML (render + font subsets)', run.html],
    ['first print (setContent, fonts, page.pdf)', run.passes[0] ?? 0],
    ['TOC pass(es) (read dests, update TOC, page.pdf)', passes - (run.passes[0] ?? 0)],
    ['launch + post-process + close (post − passes)', run.post - passes],
    ['write', run.write],
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '5' } } });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');

  await bundleFloor();
  const work = await mkdtemp(path.join(os.tmpdir(), 'letterpress-bench-'));
  try {
    await writeFile(path.join(work, 'long.md'), await longLetter(longRounds));
    let n = 0;
    const outDir = async (): Promise<string> => {
      const dir = path.join(work, `run-${++n}`);
      await mkdir(dir);
      return dir;
    };
    const buildMemo = async (): Promise<BuildRun> => build(memoPath, projectRoot, await outDir());
    const buildLong = async (): Promise<BuildRun> => build('long.md', work, await outDir());
    const firstMemo = async (): Promise<BuildRun> => build(memoPath, projectRoot, await outDir(), { cacheDir: await mkdtemp(path.join(work, 'cold-cache-')) });
    const binMemo = async (): Promise<BuildRun> => build(memoPath, projectRoot, await outDir(), { entry: binEntry });

    const load = os.loadavg()[0] ?? 0;
    process.stderr.write(`bench: warm-up, then ${rounds} rounds of floor/memo/first memo/bin memo/floor/long (load average ${load.toFixed(2)})\n`);
    // The warm-up's builds give the HTML the floors print: letterpress's own output, TOC numbered.
    const warmMemo = await buildMemo();
    const warmLong = await buildLong();
    const floorPdf = async (): Promise<string> => path.join(await outDir(), 'floor.pdf');
    const warmFloor = await floor(warmMemo.htmlPath, await floorPdf());
    await floor(warmLong.htmlPath, await floorPdf());
    const pages = { memo: await pageCount(warmMemo.pdfPath), long: await pageCount(warmLong.pdfPath) };
    const htmlBytes = { memo: (await stat(warmMemo.htmlPath)).size, long: (await stat(warmLong.htmlPath)).size };

    const a: FloorRun[] = [];
    const b: BuildRun[] = [];
    const aLong: FloorRun[] = [];
    const c: BuildRun[] = [];
    const d: BuildRun[] = [];
    const e: BuildRun[] = [];
    for (let round = 1; round <= rounds; round++) {
      a.push(await floor(warmMemo.htmlPath, await floorPdf()));
      b.push(await buildMemo());
      d.push(await firstMemo());
      e.push(await binMemo());
      aLong.push(await floor(warmLong.htmlPath, await floorPdf()));
      c.push(await buildLong());
      const last = (runs: { wallMs: number }[]): string => ms(runs.at(-1)?.wallMs ?? NaN);
      process.stderr.write(`bench: round ${round}/${rounds}: a ${last(a)}, b ${last(b)}, d ${last(d)}, e ${last(e)}, a-long ${last(aLong)}, c ${last(c)}\n`);
    }

    // A first build (empty caches: font subsets cut, TOC numbered from scratch) of a 90 KB letter with a real letter's alphabet.
    await writeFile(path.join(work, 'rich.md'), await richLetter(9));
    const richBytes = (await stat(path.join(work, 'rich.md'))).size;
    const emptyCache = await mkdtemp(path.join(os.tmpdir(), 'letterpress-bench-cache-'));
    const first = await build('rich.md', work, await outDir(), { cacheDir: emptyCache }).finally(() => rm(emptyCache, { recursive: true, force: true }));

    const wall = (runs: { wallMs: number }[]): number => median(runs.map((r) => r.wallMs));
    const passCounts = (runs: BuildRun[]): string => [...new Set(runs.map((r) => r.passes.length))].join('/');
    const out: string[] = [];
    const line = (text = ''): number => out.push(text);
    line(`letterpress benchmark: ${rounds} rounds after a warm-up, interleaved a b d e a-long c; medians (min–max)`);
    line(`node ${process.version}, ${os.cpus().length} cores, load average ${load.toFixed(2)} → ${(os.loadavg()[0] ?? 0).toFixed(2)}`);
    line(`memo: ${memoPath}, HTML ${kb(htmlBytes.memo)}; long letter: memo × ${longRounds} with distinct headings, HTML ${kb(htmlBytes.long)}`);
    line();
    line(`${'run'.padEnd(34)}${pad('wall', 26)}${pad('peak RSS', 10)}${pad('PDF', 10)}${pad('pages', 7)}${pad('ms/page', 9)}`);
    const row = (name: string, runs: (FloorRun | BuildRun)[], pageTotal: number): void => {
      line(
        `${name.padEnd(34)}${pad(spread(runs, (r) => r.wallMs), 26)}${pad(`${median(runs.map((r) => r.peakMb))} MB`, 10)}` +
          `${pad(kb(median(runs.map((r) => r.pdfBytes))), 10)}${pad(pageTotal, 7)}${pad(Math.round(wall(runs) / pageTotal), 9)}`,
      );
    };
    row('a       floor, memo', a, pages.memo);
    row('b       letterpress build, memo', b, pages.memo);
    row('d       first build (empty caches), memo', d, pages.memo);
    row('e       npx letterpress (bin), memo', e, pages.memo);
    row('a-long  floor, long letter', aLong, pages.long);
    row('c       letterpress build, long', c, pages.long);
    line();
    const ratioMemo = wall(b) / wall(a);
    const ratioLong = wall(c) / wall(aLong);
    line(`b / a       = ${ratioMemo.toFixed(2)}×   (letterpress costs ${ms(wall(b) - wall(a))} more than the floor on the memo)`);
    line(`c / a-long  = ${ratioLong.toFixed(2)}×   (${ms(wall(c) - wall(aLong))} more on the long letter)`);
    const ratioFirst = wall(d) / wall(a);
    const ratioBin = wall(e) / wall(a);
    line(`d / a       = ${ratioFirst.toFixed(2)}×   (a first build: no kept fonts or TOC numbers; passes ${passCounts(d)})`);
    line(`e / a       = ${ratioBin.toFixed(2)}×   (the installed command, \`npx letterpress build\`)`);
    line();

    line(`time per stage, from the build's own progress lines (medians, ms; per page in brackets); passes: memo ${passCounts(b)}, long ${passCounts(c)}`);
    line(`  ${''.padEnd(62)}${pad('memo', 14)}${pad('long', 15)}`);
    const memoStages = b.map(stages);
    const longStages = c.map(stages);
    for (const [i, [name]] of (memoStages[0] ?? []).entries()) {
      const memoMs = median(memoStages.map((s) => s[i]?.[1] ?? NaN));
      const longMs = median(longStages.map((s) => s[i]?.[1] ?? NaN));
      line(`  ${name.padEnd(62)}${pad(Math.round(memoMs), 7)} (${(memoMs / pages.memo).toFixed(1)})${pad(Math.round(longMs), 8)} (${(longMs / pages.long).toFixed(1)})`);
    }
    line(`  ${'whole process'.padEnd(62)}${pad(Math.round(wall(b)), 7)}${pad(Math.round(wall(c)), 15)}`);
    line();
    line('floor steps inside its process (medians, ms):        memo   long');
    for (const step of Object.keys(warmFloor.steps) as (keyof FloorReport['steps'])[]) {
      line(`  ${step.padEnd(50)}${pad(Math.round(median(a.map((r) => r.steps[step]))), 7)}${pad(Math.round(median(aLong.map((r) => r.steps[step]))), 7)}`);
    }
    line();
    // Two sizes, so the marginal cost per page separates the fixed costs (start-up, launch) from those that grow with the letter.
    const extraPages = pages.long - pages.memo;
    const printPerPage = (runs: BuildRun[], pageTotal: number): string => (median(runs.map((r) => sum(r.passes))) / pageTotal).toFixed(1);
    line('growth per page');
    line(`  marginal cost, (long − memo) / ${extraPages} pages: letterpress ${((wall(c) - wall(b)) / extraPages).toFixed(1)} ms/page, floor ${((wall(aLong) - wall(a)) / extraPages).toFixed(1)} ms/page`);
    line(`  print passes per page: memo ${printPerPage(b, pages.memo)} ms, long ${printPerPage(c, pages.long)} ms; floor's print per page: memo ${(median(a.map((r) => r.steps.print)) / pages.memo).toFixed(1)} ms, long ${(median(aLong.map((r) => r.steps.print)) / pages.long).toFixed(1)} ms`);
    line(`  PDF per page: memo ${kb(median(b.map((r) => r.pdfBytes)) / pages.memo)}, long ${kb(median(c.map((r) => r.pdfBytes)) / pages.long)}`);
    line();
    const memoPeak = Math.max(...b.map((r) => r.peakMb));
    const longPeak = Math.max(...c.map((r) => r.peakMb));
    const memoPdf = median(b.map((r) => r.pdfBytes));
    const changed = [...b.filter((r) => r.htmlHash !== warmMemo.htmlHash), ...c.filter((r) => r.htmlHash !== warmLong.htmlHash)].length;
    if (changed > 0) {
      line(`! ${changed} of ${b.length + c.length} builds wrote other HTML than the warm-up: styles or sources changed during the bench, so`);
      line('! those builds cut new font subsets (a slow HTML stage, more memory) and the floors printed the older HTML. Run again.');
      line();
    }
    line('targets (reported, not asserted)');
    line(`  ${mark(ratioMemo <= 1.3)} memo build ≤ 1.3× the floor: ${ratioMemo.toFixed(2)}×`);
    line(`  ${mark(ratioLong <= 1.5)} long letter ≤ 1.5× its floor: ${ratioLong.toFixed(2)}×`);
    line(`  ${mark(ratioFirst <= 1.3)} first build of the memo (empty caches) ≤ 1.3× the floor: ${ratioFirst.toFixed(2)}×`);
    line(`  ${mark(ratioBin <= 1.3)} npx letterpress (bin) on the memo ≤ 1.3× the floor: ${ratioBin.toFixed(2)}×`);
    const firstPeak = Math.max(...d.map((r) => r.peakMb));
    line(`  ${mark(firstPeak < 300)} peak memory of a first build of the memo < 300 MB: ${firstPeak} MB`);
    line(`  ${mark(memoPdf <= 200 * 1024)} memo PDF ≤ 200 KB: ${kb(memoPdf)}`);
    line(`  ${mark(memoPeak < 300)} peak memory of the Node process < 300 MB, memo: ${memoPeak} MB (highest of ${rounds})`);
    line(`  ${mark(longPeak < 300)} peak memory of the Node process < 300 MB, long letter: ${longPeak} MB (highest of ${rounds})`);
    line(`  ${mark(first.peakMb < 300)} peak memory < 300 MB, first build with empty caches of a ${kb(richBytes)} letter: ${first.peakMb} MB (${ms(first.wallMs)})`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  // The live preview's figures in the same run (issue 13): tests/bench/dev-bench.ts, as `npm run bench:dev` runs it.
  process.stdout.write('\nletterpress dev: edit → refreshed preview\n');
  const devBench = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'tests/bench/dev-bench.ts'), '--rounds', String(rounds)], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => devBench.on('close', resolve));
  if (code !== 0) throw new Error(`tests/bench/dev-bench.ts exited with ${code}`);
}

await main();
