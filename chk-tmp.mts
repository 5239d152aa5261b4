import { readFileSync } from 'node:fs';
import { brokenFigures, readBookmarks, rowsAcrossPages, outsideTextArea } from './tests/support/letter-checks.ts';
import { checkTypography } from './tests/support/typography-check.ts';
import { readToc } from './tests/support/toc-report.ts';
for (const name of ['annual-2023', 'bilingual-annual-meeting', 'fund-family-overview', 'methods-appendix', 'quarterly-2024-q3', 'research-parts']) {
  const pdf = `/tmp/ds/L/out/${name}.pdf`;
  const src = readFileSync(`tests/fixtures/letters/${name}.md`, 'utf8');
  const bytes = readFileSync(pdf);
  const headings = [...src.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => m[1]!);
  const t = checkTypography(pdf, { headings });
  const toc = await readToc(bytes);
  const bm = await readBookmarks(bytes);
  console.log(name, { broken: brokenFigures(pdf, src), rows: await rowsAcrossPages(bytes), outside: outsideTextArea(pdf).slice(0, 5), badStarts: t.badStarts, badEnds: t.badEnds, last: t.headingsLastOnPage, missingGaps: t.missingGaps.slice(0, 5), gaps: [Math.min(...t.hanLatinGaps), Math.max(...t.hanLatinGaps)] });
  const tocT = toc.filter((c) => !/^\d+$/.test(c.title) && c.title !== '↑').map((c) => `${c.title}@${c.destination}`);
  const bmT = bm.slice(1).map((b) => `${b.title}@${b.page}`);
  console.log('  toc=bm', JSON.stringify(tocT) === JSON.stringify(bmT), tocT.length, bmT.length);
  if (JSON.stringify(tocT) !== JSON.stringify(bmT)) console.log(tocT, bmT);
}
