/**
 * Where the time goes (issue 7, part 3): the pieces of a build timed one by one,
 * so that the bench's ratios can be attributed. Not part of `npm run bench`
 * (it takes a few minutes):
 *
 *   tsx tests/bench/profile.ts [--rounds N]
 *
 * Start-up is measured on fresh processes; everything else in this process,
 * each piece repeated N times after a warm-up and reported as a median.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ParseSpeeds, PDFDocument } from 'pdf-lib';
import type { Browser } from 'puppeteer-core';
import subsetFont from 'subset-font';
import { bundledFaces } from '../../src/html/fonts.ts';
import { withBrowser } from '../../src/pdf/browser.ts';
import { readDestinationPages } from '../../src/pdf/read-destinations.ts';
import { renderPdf } from '../../src/pdf/render-pdf.ts';
import { checkFonts } from '../../src/postprocess/check-fonts.ts';
import { longLetter, memoSource } from '../support/long-letter.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { loadPage, printOptions } from './chromium.ts';

const tsx = path.join(projectRoot, 'node_modules/.bin/tsx');
const importsScript = path.join(projectRoot, 'tests/bench/imports.ts');
/** As in bench.ts: about 150 pages. */
const longRounds = 42;

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(values.rounds);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
}

async function time<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

/** Median ms of `work` over `rounds` runs after one warm-up. */
async function med(work: () => Promise<unknown>): Promise<number> {
  await work();
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) ms.push((await time(work))[1]);
  return median(ms);
}

function wall(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`${command} ${args.join(' ')}: exit ${code}`))));
  });
}

const out: string[] = [];
const row = (name: string, ...cells: (number | string)[]): void => {
  out.push(`  ${name.padEnd(64)}${cells.map((c) => String(typeof c === 'number' ? Math.round(c) : c).padStart(9)).join('')}`);
};

async function startupReport(work: string): Promise<void> {
  const empty = path.join(work, 'empty.ts');
  await writeFile(empty, 'export {};\n');
  out.push('process start-up (fresh processes, median ms)');
  const cases: [string, string, string[]][] = [
    ['node -e 0', process.execPath, ['-e', '0']],
    ['node --import tsx empty.ts (tsx as a loader)', process.execPath, ['--import', 'tsx', empty]],
    ['tsx empty.ts (the tsx CLI: a second node process)', tsx, [empty]],
    ['tsx src/cli/main.ts --help (+ the whole CLI module graph)', tsx, ['src/cli/main.ts', '--help']],
    ['node --import tsx src/cli/main.ts --help', process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--help']],
  ];
  const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  // Interleaved, like the bench, so background load falls on every case alike.
  for (let i = 0; i <= rounds; i++) {
    for (const [name, command, args] of cases) {
      const ms = await wall(command, args);
      if (i > 0) times.get(name)?.push(ms);
    }
  }
  for (const [name] of cases) row(name, median(times.get(name) ?? []));
  const importRuns: [string, number, number][][] = [];
  for (let i = 0; i < rounds; i++) {
    importRuns.push(
      await new Promise((resolve, reject) => {
        const child = spawn(tsx, [importsScript], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
        let text = '';
        child.stdout.on('data', (d: Buffer) => (text += d.toString()));
        child.on('error', reject);
        child.on('close', () => resolve(JSON.parse(text) as [string, number, number][]));
      }),
    );
  }
  const imports = (importRuns[0] ?? []).map(([name], i): [string, number, number] => [
    name,
    median(importRuns.map((run) => run[i]?.[1] ?? NaN)),
    median(importRuns.map((run) => run[i]?.[2] ?? NaN)),
  ]);
  out.push('', `module graph, fresh processes, in load order (median of ${rounds})        ms  RSS MB after`);
  for (const [name, ms, rss] of imports) row(name, ms, rss);
}

/** The pieces of the PDF stage, on the HTML and PDF that the real CLI built (so this follows src/ as it changes). */
async function letterReport(browser: Browser, label: string, htmlPath: string, builtPdf: string): Promise<void> {
  const html = await readFile(htmlPath, 'utf8');
  const tocTargets = [...html.matchAll(/class="toc-page" data-target="([^"]+)"/g)].map((m) => m[1] ?? '');
  out.push('', `${label}: HTML ${Math.round(html.length / 1024)} KB, ${tocTargets.length} TOC entries (median ms of ${rounds})`);

  // A cache miss, as after any edit that adds a character: 4 faces cut from 10–15 MB TrueType files.
  const chars = [...new Set(html)].join('');
  const [, missMs] = await time(async () => {
    for (const face of bundledFaces) await subsetFont(await readFile(face.file), chars, { targetFormat: 'woff2' });
  });
  row('font subsets cut on a cache miss (4 faces, once)', missMs);
  row('  of which reading the 4 TrueType files', await med(() => Promise.all(bundledFaces.map((f) => readFile(f.file)))));

  let pdf: Uint8Array = new Uint8Array();
  let passTimes: number[] = [];
  const renderMs = await med(async () => {
    const rendered = await renderPdf(browser, html, { tocTargets });
    pdf = rendered.pdf;
    passTimes = rendered.passTimes;
  });
  const pages = (await PDFDocument.load(pdf, { parseSpeed: ParseSpeeds.Fastest })).getPageCount();
  row(`renderPdf, whole (${passTimes.length} passes; ${pages} pages, PDF ${Math.round(pdf.length / 1024)} KB)`, renderMs);
  row('  pass 1: setContent + fonts.ready + page.pdf (last run)', passTimes[0] ?? NaN);
  row('  later passes: read dests + update TOC + page.pdf (last run)', passTimes.slice(1).reduce((a, b) => a + b, 0));
  row('readDestinationPages (pdf-lib load of the whole PDF; once per pass)', await med(() => readDestinationPages(pdf)));
  row('  PDFDocument.load, default parseSpeed (yields a setTimeout every 100 objects)', await med(() => PDFDocument.load(pdf, { updateMetadata: false })));
  row('  PDFDocument.load, parseSpeed: Fastest (never yields)', await med(() => PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest })));
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  row(`  objects in the PDF`, doc.context.enumerateIndirectObjects().length);
  const finalPdf = await readFile(builtPdf);
  row('finalizePdf\'s pieces besides its load (above): checkFonts', await med(async () => checkFonts(doc)));
  row('  save, as it does (object streams, yields every 50 objects)', await med(() => doc.save({ useObjectStreams: true })));
  row('  save, object streams, objectsPerTick: Infinity', await med(() => doc.save({ useObjectStreams: true, objectsPerTick: Infinity })));
  row('  save, no object streams, objectsPerTick: Infinity', await med(() => doc.save({ useObjectStreams: false, objectsPerTick: Infinity })));
  row("  Chromium's PDF → the build's final PDF, KB", `${Math.round(pdf.length / 1024)}→${Math.round(finalPdf.length / 1024)}`);

  // The same page, printed with and without the tagged structure and outline: pass 1 only needs /Dests.
  const page = await browser.newPage();
  try {
    await loadPage(page, html);
    row('page.pdf, as letterpress prints (tagged, outline)', await med(() => page.pdf(printOptions)));
    const light = { ...printOptions, tagged: false, outline: false };
    row('page.pdf, tagged: false, outline: false', await med(() => page.pdf(light)));
    const lightPdf = await page.pdf(light);
    const full = await readDestinationPages(pdf);
    const fast = await readDestinationPages(lightPdf);
    const same = tocTargets.every((id) => full.get(id) === fast.get(id));
    row(`  its /Dests give the same pages: ${same}; its size, KB`, Math.round(lightPdf.length / 1024));
    row('  readDestinationPages on it', await med(() => readDestinationPages(lightPdf)));
  } finally {
    await page.close();
  }
  // What page set-up costs: render-pdf's JS-off + request interception vs a plain page.
  const plain = await med(async () => {
    const p = await browser.newPage();
    await loadPage(p, html);
    await p.close();
  });
  const guarded = await med(async () => {
    const p = await browser.newPage();
    await p.setJavaScriptEnabled(false);
    await p.setRequestInterception(true);
    p.on('request', (request) => void request.continue());
    await loadPage(p, html);
    await p.close();
  });
  row('newPage + setContent + fonts.ready, plain page', plain);
  row('  the same with JS off and request interception (as render-pdf)', guarded);
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'letterpress-profile-'));
  try {
    await startupReport(work);
    await writeFile(path.join(work, 'long.md'), await longLetter(longRounds));
    const built = async (source: string, cwd: string, name: string): Promise<[string, string]> => {
      const result = await runCli(['build', source, '--out', path.join(work, 'out')], { cwd });
      if (result.code !== 0) throw new Error(result.stderr);
      out.push('', `the CLI's own lines for ${name}:`, ...result.stderr.trim().split('\n').map((l) => `  ${l}`));
      return [path.join(work, 'out', `${name}.html`), path.join(work, 'out', `${name}.pdf`)];
    };
    const memo = await built(path.relative(projectRoot, memoSource), projectRoot, path.basename(memoSource, '.md'));
    const long = await built('long.md', work, 'long');
    let launchMs = 0;
    const start = performance.now();
    let closeStart = 0;
    await withBrowser(async (browser) => {
      launchMs = performance.now() - start;
      await letterReport(browser, 'memo', ...memo);
      await letterReport(browser, `long letter (memo × ${longRounds})`, ...long);
      closeStart = performance.now();
    });
    out.push('', 'browser');
    row('launch (withBrowser until its callback runs)', launchMs);
    row('close', performance.now() - closeStart);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
