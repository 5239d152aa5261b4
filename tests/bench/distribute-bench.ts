/**
 * `npm run bench:distribute` (issue 6): one `letterpress build` of the memo
 * against `letterpress distribute` of the memo to 100 LPs (Chinese, Latin and
 * mixed names), each run as a whole process, interleaved round by round after
 * a warm-up round, so that noise on the machine falls on both sides of the
 * ratio. Prints the medians and distribute / build (target: < 3, not asserted).
 *
 *   npm run bench:distribute [-- --rounds N]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cli, nodeArgs, projectRoot } from '../support/run-cli.ts';

const memo = path.join(projectRoot, 'content/2023-12-llm-observations.md');
const copies = 100;
const target = 3;

const surnames = ['张', '王', '李', '赵', '欧阳', '陈', '刘', '司马'];
const given = ['伟', '娜娜', '明', '静', '子涵', '浩然', '思远'];
const latin = ['Alice Smith', 'Jean-Luc Picard', 'Grace Hopper', 'Ada Lovelace', 'Seán O’Brien', 'Zoë Müller'];

/** Two in three Chinese (one of those with a Latin name after it), one in three Latin; ids lp-001…lp-100. */
function recipientsCsv(): string {
  const rows = Array.from({ length: copies }, (_, i) => {
    const chinese = `${surnames[i % surnames.length]}${given[i % given.length]}`;
    const name = i % 3 === 0 ? `${latin[i % latin.length]} ${i}` : i % 3 === 1 ? chinese : `${chinese} ${latin[i % latin.length]?.split(' ')[0]}`;
    return `lp-${String(i + 1).padStart(3, '0')},${name}`;
  });
  return `id,name\n${rows.join('\n')}\n`;
}

/** Milliseconds from spawn to exit of one letterpress run. */
function run(args: string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, nodeArgs(cli, args), { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`letterpress ${args.join(' ')} exited with ${code}:\n${stderr}`))));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Math.max(3, Number(values.rounds));
const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-bench-distribute-'));
try {
  await writeFile(path.join(dir, 'lps.csv'), recipientsCsv());
  const build = (): Promise<number> => run(['build', memo, '--out', 'built'], dir);
  const distribute = (): Promise<number> => run(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies'], dir);

  process.stderr.write('warm-up…\n');
  await build();
  await distribute();
  const written = (await readdir(path.join(dir, 'copies'))).filter((f) => f.endsWith('.pdf')).length;
  if (written !== copies) throw new Error(`distribute wrote ${written} copies, not ${copies}`);

  const times = { build: [] as number[], distribute: [] as number[] };
  for (let round = 1; round <= rounds; round++) {
    times.build.push(await build());
    times.distribute.push(await distribute());
    process.stderr.write(`round ${round}/${rounds}: build ${Math.round(times.build.at(-1) ?? 0)} ms, distribute ${Math.round(times.distribute.at(-1) ?? 0)} ms\n`);
  }

  const a = median(times.build);
  const b = median(times.distribute);
  const ratio = b / a;
  process.stdout.write(
    [
      `letterpress distribute benchmark (${rounds} rounds after a warm-up, ${os.cpus().length} CPUs)`,
      `(a) build of the memo                 median ${Math.round(a)} ms  [${times.build.map(Math.round).join(', ')}]`,
      `(b) distribute to ${copies} LPs            median ${Math.round(b)} ms  [${times.distribute.map(Math.round).join(', ')}]`,
      `    per copy beyond the build         ${((b - a) / copies).toFixed(1)} ms`,
      `ratio b/a                             ${ratio.toFixed(2)}  (target < ${target}: ${ratio < target ? 'met' : 'NOT met'})`,
      '',
    ].join('\n'),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
