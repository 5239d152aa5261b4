/**
 * For profile.ts, run in a fresh process: the cost in time and memory of each
 * part of the build's module graph, in the order the CLI loads it. No static
 * imports, so nothing is loaded before it is measured. Prints JSON: [name, ms, RSS MB after][].
 */
const report: [string, number, number][] = [];
const rss = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);
report.push(['(before any import)', 0, rss()]);
for (const [name, load] of [
  ['puppeteer-core', () => import('puppeteer-core')],
  ['pdf-lib', () => import('pdf-lib')],
  ['subset-font (harfbuzz wasm)', () => import('subset-font')],
  ['unified + remark/rehype plugins (src/markdown)', () => import('../../src/markdown/process-markdown.ts')],
  ['the build command (rest of its graph)', () => import('../../src/cli/commands/build.ts')],
  ['every other command (src/cli/commands/index.ts)', () => import('../../src/cli/commands/index.ts')],
  ['bundledCoverage(): reads the 4 full fonts, builds cmap sets', async () => (await import('../../src/html/fonts.ts')).bundledCoverage()],
] as const) {
  const start = performance.now();
  await (load as () => Promise<unknown>)();
  report.push([name, performance.now() - start, rss()]);
}
report.push(['peak RSS of this process', 0, Math.round(process.resourceUsage().maxRSS / 1024)]);
process.stdout.write(JSON.stringify(report));
