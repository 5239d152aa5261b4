import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { readLines } from '../support/typography-check.ts';

const mm = 72 / 25.4;

/** The right edge of the text block on each page: justified lines end exactly there. */
function rightMargins(pdf: string): { page: number; margin: number }[] {
  const { lines, pageHeight } = readLines(pdf);
  const pages = [...new Set(lines.map((l) => l.page))];
  return pages.map((page) => {
    const body = lines.filter((l) => l.page === page && l.yMin > 60 && l.yMax < pageHeight - 60);
    return { page, margin: (595.28 - Math.max(...body.map((l) => l.xMax))) / mm };
  });
}

describe('page set-up', () => {
  it('the pdf profile has the same margins on every page', () => {
    for (const { margin } of rightMargins(path.join(inject('memoOut'), '2023-12-llm-observations.pdf'))) expect(margin).toBeCloseTo(22, 0);
  });

  it('the print profile mirrors them for duplex: the wider margin is always at the binding', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'letterpress-print-'));
    const result = await runCli(['build', path.join(projectRoot, 'content/2023-12-llm-observations.md'), '--out', out, '--profile', 'print']);
    expect(result.code, result.stderr).toBe(0);
    const margins = rightMargins(path.join(out, '2023-12-llm-observations.pdf'));
    expect(margins.length).toBeGreaterThanOrEqual(4);
    for (const { page, margin } of margins) {
      // Odd pages are rectos (binding on the left, outer margin right); even pages are versos.
      expect(margin, `page ${page}`).toBeCloseTo(page % 2 === 1 ? 19 : 26, 0);
    }
  });
});
