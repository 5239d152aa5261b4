/**
 * `npm run bench:distribute`: `letterpress distribute` of the memo to 100,
 * 1,000 and 10,000 LPs (Chinese, Latin and mixed names), plain, `--encrypt`
 * and `--sign`, each as a whole process, against one first build of the memo
 * (empty caches) measured in the same run, before and after the
 * distributions (the ratio is to their mean). For each run: wall time, the
 * ratio, CPU use (100 % = one core busy) of the whole run and of the copy
 * stage (as distribute logs it), peak memory, and whether every copy is
 * listed with its hash; and, before and after, the CPU two threads that only
 * compute get on this machine, the ceiling for the copy stage when the cores
 * are shared. Target for 10,000 plain copies: ratio ≤ 20, both cores busy,
 * peak memory < 500 MB (reported, not asserted).
 *
 *   npm run bench:distribute [-- --sizes 100,1000,10000] [--modes plain,encrypt,sign]
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '../support/run-cli.ts';

const memo = path.join(projectRoot, 'content/2023-12-llm-observations.md');
const cliBundle = path.join(projectRoot, 'node_modules/.cache/letterpress/cli/main.mjs');
const target = { ratio: 20, peakMb: 500 };

const surnames = ['张', '王', '李', '赵', '欧阳', '陈', '刘', '司马', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡'];
const given = ['伟', '娜娜', '明', '静', '子涵', '浩然', '思远', '芳', '磊', '洋', '婷', '强', '丽', '军', '杰', '敏', '鑫', '宇'];
const latin = ['Alice Smith', 'Jean-Luc Picard', 'Grace Hopper', 'Ada Lovelace', 'Seán O’Brien', 'Zoë Müller'];

/** Two in three Chinese (one of those with a Latin name after it), one in three Latin; every name its own (a number tells them apart). */
function recipientsCsv(copies: number): string {
  const rows = Array.from({ length: copies }, (_, i) => {
    const chinese = `${surnames[i % surnames.length]}${given[Math.floor(i / surnames.length) % given.length]}`;
    const name = i % 3 === 0 ? `${latin[i % latin.length]} ${i}` : i % 3 === 1 ? `${chinese} ${i}` : `${chinese} ${latin[i % latin.length]?.split(' ')[0]} ${i}`;
    return `lp-${String(i + 1).padStart(5, '0')},${name}`;
  });
  return `id,name\n${rows.join('\n')}\n`;
}

interface Run {
  wallMs: number;
  cpuPercent: number;
  peakMb: number;
  /** The copy stage as distribute reports it: its wall time and the CPU of the process and its worker threads. */
  copying?: { wallMs: number; cpuPercent: number; workers: number; busyPercent: number };
}

/** One letterpress run under GNU time: wall clock, CPU (user + system, every thread) and peak resident memory. */
function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'letterpress-time %U %S %M', process.execPath, cliBundle, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - start;
      const time = /^letterpress-time ([\d.]+) ([\d.]+) (\d+)$/m.exec(stderr);
      if (code !== 0 || !time) return reject(new Error(`letterpress ${args.join(' ')} exited with ${code}:\n${stderr.slice(-3000)}`));
      const copies = /^letterpress copies +\d+ in ([\d.]+) s, [\d.]+ ms each, (\d+) % CPU, (\d+) workers? busy (\d+) %$/m.exec(stderr);
      resolve({
        wallMs,
        cpuPercent: Math.round(((Number(time[1]) + Number(time[2])) * 100000) / wallMs),
        peakMb: Math.round(Number(time[3]) / 1024),
        copying: copies ? { wallMs: Number(copies[1]) * 1000, cpuPercent: Number(copies[2]), workers: Number(copies[3]), busyPercent: Number(copies[4]) } : undefined,
      });
    });
  });
}

/** `38.2 s at 184 %, 2×97 %`: the copy stage's wall time, its CPU, and its workers and how busy they were. */
function copyStage(run: Run): string {
  const c = run.copying;
  return c ? `${(c.wallMs / 1000).toFixed(1)} s at ${c.cpuPercent} %, ${c.workers}×${c.busyPercent} %` : '?';
}

/**
 * The CPU this machine gives two threads that only compute, for 5 s (100 % =
 * one core): on a shared machine, the most the copy stage's two workers could have had.
 */
async function availableCpu(): Promise<number> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const spin = 'const end = Date.now() + 5000; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1); require("node:worker_threads").parentPort.postMessage(x);';
  await Promise.all([0, 1].map(() => new Promise((resolve) => new Worker(spin, { eval: true }).once('message', resolve))));
  const { user, system } = process.cpuUsage(cpu);
  return Math.round((user + system) / 10 / (performance.now() - start));
}

/** Every copy is in the folder and listed in distribution.json with the SHA-256 of its bytes. */
async function listedWithHashes(dir: string, copies: number): Promise<boolean> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'distribution.json'), 'utf8')) as { copies: { file: string; sha256: string }[] };
  const files = (await readdir(dir)).filter((f) => f.endsWith('.pdf'));
  if (manifest.copies.length !== copies || files.length !== copies) return false;
  // Every hash of a sample (all of them up to 1,000) is checked against the file.
  const step = Math.max(1, Math.floor(copies / 1000));
  for (let i = 0; i < copies; i += step) {
    const copy = manifest.copies[i]!;
    if (createHash('sha256').update(await readFile(path.join(dir, copy.file))).digest('hex') !== copy.sha256) return false;
  }
  return true;
}

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100,1000,10000' }, modes: { type: 'string', default: 'plain,encrypt,sign' } } });
const sizes = values.sizes.split(',').map(Number);
const modes = values.modes.split(',') as ('plain' | 'encrypt' | 'sign')[];
const work = await mkdtemp(path.join(os.tmpdir(), 'letterpress-bench-distribute-'));
try {
  await mkdir(path.join(work, 'secret'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(work, 'key.pem'), '-out', path.join(work, 'cert.pem'), '-days', '30', '-subj', '/CN=Bench Signer/O=Shixiang'], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', path.join(work, 'key.pem'), '-in', path.join(work, 'cert.pem'), '-out', path.join(work, 'key.p12'), '-passout', 'pass:bench']);
  const modeArgs = { plain: [], encrypt: ['--encrypt', '--passwords', 'secret/passwords.csv'], sign: ['--sign', 'key.p12'] };

  const firstBuild = async (): Promise<Run> => {
    const cache = await mkdtemp(path.join(work, 'cold-cache-'));
    try {
      return await run(['build', memo, '--out', 'built'], work, { LETTERPRESS_CACHE_DIR: cache });
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  };
  process.stderr.write('first build of the memo (empty caches)…\n');
  const before = await firstBuild();
  const spare = [await availableCpu()];

  const results: { copies: number; mode: string; run: Run; listed: boolean }[] = [];
  for (const copies of sizes) {
    await writeFile(path.join(work, 'lps.csv'), recipientsCsv(copies));
    for (const mode of modes) {
      await rm(path.join(work, 'copies'), { recursive: true, force: true });
      process.stderr.write(`distribute ${copies} copies, ${mode}…\n`);
      const result = await run(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', ...modeArgs[mode]], work, { LETTERPRESS_KEY_PASSWORD: 'bench' });
      results.push({ copies, mode, run: result, listed: await listedWithHashes(path.join(work, 'copies'), copies) });
      process.stderr.write(`  ${Math.round(result.wallMs)} ms, ${result.cpuPercent} % CPU (copy stage: ${copyStage(result)}), ${result.peakMb} MB\n`);
    }
  }
  spare.push(await availableCpu());
  const after = await firstBuild();
  const build = (before.wallMs + after.wallMs) / 2;

  const lines = [
    `letterpress distribute benchmark (${os.availableParallelism()} CPUs; 100 % CPU = one core busy)`,
    `first build of the memo (empty caches): ${Math.round(before.wallMs)} ms before, ${Math.round(after.wallMs)} ms after, mean ${Math.round(build)} ms`,
    `two threads that only compute get ${spare.join(' % (before) and ')} % (after) CPU on this machine: the most two workers could have`,
    '',
    `${'copies'.padStart(7)}  ${'mode'.padEnd(8)}${'wall'.padStart(10)}${'× build'.padStart(9)}${'ms/copy'.padStart(9)}${'CPU'.padStart(7)}${'copy stage (workers×busy)'.padStart(34)}${'peak'.padStart(9)}  listed with hashes`,
    ...results.map(({ copies, mode, run: r, listed }) =>
      `${String(copies).padStart(7)}  ${mode.padEnd(8)}${`${(r.wallMs / 1000).toFixed(1)} s`.padStart(10)}${(r.wallMs / build).toFixed(2).padStart(9)}${(r.wallMs / copies).toFixed(1).padStart(9)}${`${r.cpuPercent} %`.padStart(7)}${copyStage(r).padStart(34)}${`${r.peakMb} MB`.padStart(9)}  ${listed ? 'yes' : 'NO'}`,
    ),
    '(CPU: the whole run, Chromium and qpdf included; copy stage: its wall time, the CPU of distribute and its worker threads, and how much of it the workers were at work)',
    '',
  ];
  const largest = results.find((r) => r.copies === 10000 && r.mode === 'plain');
  if (largest) {
    const ratio = largest.run.wallMs / build;
    lines.push(
      `10,000 plain copies: ${ratio.toFixed(2)}× one first build (target ≤ ${target.ratio}: ${ratio <= target.ratio ? 'met' : 'NOT met'}), ` +
        `copy stage ${copyStage(largest.run)} (both cores busy: ${(largest.run.copying?.cpuPercent ?? 0) >= 150 ? 'yes' : 'NO'}; two computing threads got ${spare.join('–')} %), ` +
        `peak ${largest.run.peakMb} MB (target < ${target.peakMb}: ${largest.run.peakMb < target.peakMb ? 'met' : 'NOT met'})`,
      '',
    );
  }
  process.stdout.write(lines.join('\n'));
} finally {
  await rm(work, { recursive: true, force: true });
}
