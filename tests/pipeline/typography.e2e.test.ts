import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { pdfFonts } from '../support/pdf.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { checkTypography, type TypographyReport } from '../support/typography-check.ts';

const fixtures = path.join(projectRoot, 'tests/fixtures/typography');

async function buildFixture(name: string, args: string[] = []): Promise<{ dir: string; code: number | null; stderr: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `letterpress-typo-${name}-`));
  await cp(path.join(fixtures, name), dir, { recursive: true });
  const result = await runCli(['build', 'input.md', '--out', 'out', ...args], { cwd: dir });
  return { dir, code: result.code, stderr: result.stderr };
}

function expectClean(report: TypographyReport, minLines: number): void {
  expect(report.lines).toBeGreaterThanOrEqual(minLines);
  expect(report.badStarts).toEqual([]);
  expect(report.badEnds).toEqual([]);
  expect(report.headingsLastOnPage).toEqual([]);
  expect(report.missingGaps).toEqual([]);
  // Han next to Latin or digits is always set apart, by at least autospace's 1/8 em, never by more than a wide space.
  expect(report.hanLatinGaps.length).toBeGreaterThan(10);
  for (const gap of report.hanLatinGaps) {
    expect(gap).toBeGreaterThan(0.08);
    expect(gap).toBeLessThan(0.75);
  }
}

describe('typography, measured on the PDF', () => {
  it('the memo: no forbidden line start or end, no stranded heading, Han/Latin spaced', () => {
    const report = checkTypography(path.join(inject('memoOut'), '2023-12-llm-observations.pdf'));
    console.info(`memo: ${report.lines} lines examined, ${report.hanLatinGaps.length} Han/Latin boundaries`);
    expectClean(report, 80);
  });

  describe('the torture fixture (tables, quotes, images, footnotes, rare characters, no manual spaces)', () => {
    let dir: string;
    let report: TypographyReport;
    beforeAll(async () => {
      const built = await buildFixture('letter');
      expect(built.code, built.stderr).toBe(0);
      dir = built.dir;
      report = checkTypography(path.join(dir, 'out', 'input.pdf'));
      console.info(`torture: ${report.lines} lines examined, ${report.hanLatinGaps.length} Han/Latin boundaries`);
    });

    it('breaks lines by clreq and spaces Han from Latin by itself', () => {
      expectClean(report, 40);
      // The fixture has no manual spaces: the narrowest gap is autospace's, about 1/8 em.
      expect(Math.min(...report.hanLatinGaps)).toBeLessThan(0.2);
    });

    it('embeds only the bundled fonts, the rare characters included', () => {
      // The CJK faces, Noto Serif Italic for the fixture's Latin emphasis, Noto Sans Mono for its code.
      for (const font of pdfFonts(path.join(dir, 'out', 'input.pdf'))) expect(font.name).toMatch(/^[A-Z]{6}\+(NotoS(erif|ans)SC-(Regular|Bold)|NotoSerif-Italic|NotoSansMono-Regular)$/);
    });
  });

  it('fails on a missing image, naming the file and the line', async () => {
    const built = await buildFixture('missing-image');
    expect(built.code).toBe(1);
    expect(built.stderr).toMatch(/49:1-49:27\s+error\s+image `no-such-chart.png` not found/);
    expect(built.stderr).toContain('first at input.md:49:1');
  });
});

describe('the typography check itself', () => {
  it('catches forbidden line starts and ends, and Han touching Latin, when layout allows them', async () => {
    const { withBrowser } = await import('../../src/chromium/browser.ts');
    const { renderPdf } = await import('../../src/print/render-pdf.ts');
    const { writeFile } = await import('node:fs/promises');
    const { fontFaceCss } = await import('../../src/fonts/font-css.ts');
    // Six characters a line: "，" falls at the start of line 2 and "（" at the end of line 3.
    const text = '一二三四五六，七八九十甲乙丙丁戊己（庚辛壬癸）子丑寅卯ABC汉字';
    // line-break: anywhere lets any character start or end a line; no autospace lets Han touch Latin.
    const html = `<html lang="zh-CN"><style>${await fontFaceCss(text)} body { font: 10.5pt/1.8 "Noto Serif SC"; margin: 0; }
      p { width: 6em; line-break: anywhere; text-autospace: no-autospace; text-spacing-trim: space-all; margin: 80pt 0 0 80pt; }</style><p>${text}</p></html>`;
    const { pdf } = await withBrowser((browser) => renderPdf(browser, html));
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'letterpress-bad-')), 'bad.pdf');
    await writeFile(file, pdf);
    const report = checkTypography(file);
    expect(report.badStarts.length).toBeGreaterThan(0);
    expect(report.badEnds.length).toBeGreaterThan(0);
    expect(report.missingGaps.length).toBeGreaterThan(0);
  });
});
