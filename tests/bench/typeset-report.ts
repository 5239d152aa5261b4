/**
 * `npm run typeset-report`: the line-breaking and page-breaking figures of the
 * memo and the corpus letters (tests/fixtures/letters), measured on the glyphs
 * of the PDFs letterpress prints (tests/support/typeset-metrics.ts), beside
 * Typst's for the memo and one corpus letter set on the same page.
 *
 *   npm run typeset-report [-- --details] [-- letter.md …]
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type TypesetMetrics, typesetMetrics } from '../support/typeset-metrics.ts';
import { projectRoot } from '../support/run-cli.ts';
import { typstPdf } from './typst-letter.ts';

const { values, positionals } = parseArgs({ options: { details: { type: 'boolean', default: false } }, allowPositionals: true });
const memo = path.join(projectRoot, 'content/2023-12-llm-observations.md');
const corpus = path.join(projectRoot, 'tests/fixtures/letters');
/** The corpus letter Typst also sets: prose and lists, no tables. */
const typstCorpusLetter = 'research-parts.md';

const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-typeset-report-'));
try {
  const source = path.join(dir, 'letters');
  await cp(corpus, source, { recursive: true });
  await cp(memo, path.join(source, path.basename(memo)));
  const letters = positionals.length > 0 ? positionals.map((p) => path.resolve(p)) : (await readdir(source)).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(source, f));
  execFileSync(process.execPath, [path.join(projectRoot, 'src/cli/letterpress.mjs'), 'build', '--out', path.join(dir, 'out'), ...letters], { cwd: source, stdio: ['ignore', 'ignore', 'pipe'] });

  const rows: [string, TypesetMetrics][] = [];
  for (const letter of letters) {
    const name = path.basename(letter, '.md');
    rows.push([name, typesetMetrics(path.join(dir, 'out', `${name}.pdf`))]);
    if (positionals.length === 0 && (letter.endsWith(path.basename(memo)) || letter.endsWith(typstCorpusLetter))) {
      const typst = path.join(dir, `${name}.typst.pdf`);
      await writeFile(typst, await typstPdf(letter));
      rows.push([`${name} (Typst)`, typesetMetrics(typst)]);
    }
  }

  const head = ['letter', 'lines', 'justified', '孤字', 'stretched', 'loose', 'mean stretch', 'widows', 'orphans'];
  const table = rows.map(([name, m]) => [name, m.lines, m.fullLines, m.lonely.length, m.stretched.length, m.loose.length, `${m.meanStretch.toFixed(3)} em`, m.widows.length, m.orphans.length].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(line(head));
  for (const row of table) console.log(line(row));
  console.log('\n孤字: a last line of one character (punctuation aside); stretched: mean Han gap > 0.15 em or a word gap > 1 em; loose: stretch > 0.08 em.');
  if (values.details) {
    for (const [name, m] of rows) {
      const listed = Object.entries({ 孤字: m.lonely, stretched: m.stretched, loose: m.loose, widows: m.widows, orphans: m.orphans }).filter(([, items]) => items.length > 0);
      if (listed.length === 0) continue;
      console.log(`\n${name}`);
      for (const [what, items] of listed) for (const item of items) console.log(`  ${what}: ${item}`);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
