import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { brokenFigures, brokenTableWords, outsideTextArea, readBookmarks, rowsAcrossPages, styledLines } from '../support/letter-checks.ts';
import { type Glyph, readGlyphs } from '../support/glyphs.ts';
import { readPdf } from '../support/pdf.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { readToc } from '../support/toc-report.ts';
import { checkTypography } from '../support/typography-check.ts';
import { bodyLines, typesetMetrics } from '../support/typeset-metrics.ts';
import { expectMatchesReference, renderPages } from '../support/visual.ts';

/** The corpus (tests/fixtures/letters), each with the page kept as its visual reference. */
const letters = {
  'quarterly-2024-q3': { page: 2 },
  'bilingual-annual-meeting': { page: 1 },
  'research-parts': { page: 1 },
  'methods-appendix': { page: 2 },
  'annual-2023': { page: 4 },
  'fund-family-overview': { page: 2 },
} as const;
type Name = keyof typeof letters | 'collisions';

/** Headings named like the ids footnotes generate, far from the notes they would steal the links of; one of punctuation, one empty. */
const collisions = `---
title: 编号冲突
recipients: LPs
date: 2024-01
author: 远川
organisation: 远川资本
confidentiality: 保密
---

## fn-1

正文引用一处注释。[^1]

## Footnote label

${'这一段正文只是为了把注释推到后面的页上，让每个链接的目标页各不相同。'.repeat(60)}

## fnref-1

${'第二段正文同样用来占据篇幅，使注释落在最后一页。'.repeat(60)}

## ***

结束。

##

空标题之后。

[^1]: 注释一的正文。
`;

let dir: string;
let stderr: string;
const pdfFile = (name: Name): string => path.join(dir, 'out', `${name}.pdf`);
const source = (name: Name): Promise<string> => readFile(path.join(dir, `${name}.md`), 'utf8');
/** The body's headings h2–h6, as the HTML holds them. */
async function headingTexts(name: Name): Promise<{ level: number; text: string }[]> {
  const html = await readFile(path.join(dir, 'out', `${name}.html`), 'utf8');
  const body = html.slice(html.indexOf('<main'));
  return [...body.matchAll(/<h([2-6])[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) => ({ level: Number(m[1]), text: (m[2] ?? '').replace(/<[^>]+>/g, '').trim() }));
}
/** The TOC's entries (links with a title and a page number; footnote links have neither). */
async function tocOf(name: Name): Promise<{ title: string; page: number }[]> {
  const checks = await readToc(await readFile(pdfFile(name)));
  return checks.filter((c) => c.title !== '' && c.title !== '↑' && Number.isFinite(c.printed)).map((c) => ({ title: c.title, page: c.destination }));
}

beforeAll(async () => {
  // One build of every letter, in one run (one Chromium), from a copy: the letters' images come along.
  dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-letters-'));
  await cp(path.join(projectRoot, 'tests/fixtures/letters'), dir, { recursive: true });
  await writeFile(path.join(dir, 'collisions.md'), collisions);
  const result = await runCli(['build', ...Object.keys(letters).map((n) => `${n}.md`), 'collisions.md', '--out', 'out'], { cwd: dir });
  stderr = result.stderr;
  expect(result.code, result.stderr).toBe(0);
}, 300_000);

describe.each(Object.entries(letters))('the letter %s, checked on its PDF', (name, { page }) => {
  it('builds without a warning', () => {
    expect(stderr).not.toMatch(new RegExp(`${name}\\.md\\n\\s+\\d+:\\d+`));
  });

  it('breaks no figure across lines, and no word of a table inside the word', async () => {
    expect(brokenFigures(pdfFile(name as Name), await source(name as Name))).toEqual([]);
    expect(brokenTableWords(pdfFile(name as Name), await source(name as Name))).toEqual([]);
  });

  it('has the TOC’s entries as its bookmarks, under the title, with the same levels and pages', async () => {
    const toc = await tocOf(name as Name);
    const bookmarks = await readBookmarks(await readFile(pdfFile(name as Name)));
    const levels = (await headingTexts(name as Name)).filter((h) => h.level <= 3);
    expect(toc.length).toBeGreaterThan(2);
    expect(bookmarks[0]?.depth).toBe(1);
    expect(bookmarks.slice(1).map((b) => ({ title: b.title, page: b.page }))).toEqual(toc);
    expect(bookmarks.slice(1).map((b) => b.depth)).toEqual(levels.map((h) => h.level));
    expect(toc.map((t) => t.title)).toEqual(levels.map((h) => h.text));
  });

  it('leaves no heading of any level last on a page, no table row split across pages, nothing outside the text area', async () => {
    const report = checkTypography(pdfFile(name as Name), { headings: (await headingTexts(name as Name)).map((h) => h.text) });
    expect(report.headingsLastOnPage).toEqual([]);
    expect(await rowsAcrossPages(await readFile(pdfFile(name as Name)))).toEqual([]);
    expect(outsideTextArea(pdfFile(name as Name))).toEqual([]);
  });

  it('breaks lines by clreq and spaces Han from Latin', () => {
    const report = checkTypography(pdfFile(name as Name));
    expect(report.lines).toBeGreaterThan(20);
    expect(report.badStarts).toEqual([]);
    expect(report.badEnds).toEqual([]);
    expect(report.missingGaps).toEqual([]);
    for (const gap of report.hanLatinGaps) {
      expect(gap).toBeGreaterThan(0.08);
      expect(gap).toBeLessThan(0.75);
    }
  });

  it('sets its paragraphs with no single-character last line (孤字), no stretched justified line, no widow and no orphan', () => {
    const metrics = typesetMetrics(pdfFile(name as Name));
    expect(metrics.fullLines).toBeGreaterThan(5);
    expect(metrics.lonely).toEqual([]);
    expect(metrics.stretched).toEqual([]);
    expect(metrics.widows).toEqual([]);
    expect(metrics.orphans).toEqual([]);
  });

  it(`page ${page} matches its reference image`, () => {
    const [file] = renderPages(pdfFile(name as Name), page);
    expectMatchesReference(file ?? '', `letters-${name}.png`);
  });
});

describe('what the corpus exercises', () => {
  it('the bilingual letter hyphenates English where a paragraph is broken as a whole, and its text still reads each word whole', async () => {
    const lines = bodyLines(readGlyphs(pdfFile('bilingual-annual-meeting')));
    const src = await source('bilingual-annual-meeting');
    const text = execFileSync('pdftotext', [pdfFile('bilingual-annual-meeting'), '-'], { encoding: 'utf8' }).replace(/\u00ad/gu, '');
    // Each word broken at a line's end by a hyphen that is not its own (a compound's), joined again.
    const broken = lines
      .filter((line) => line.full)
      .map((line) => [/(\p{L}+)[\u2010-]$/u.exec(line.text.trim())?.[1] ?? '', /^\p{L}+/u.exec(lines[lines.indexOf(line) + 1]?.text.trim() ?? '')?.[0] ?? ''])
      .filter(([head, tail]) => head && tail && !src.includes(`${head}-${tail}`));
    expect(broken.length).toBeGreaterThan(0);
    for (const [head, tail] of broken) {
      // In the source, and whole in the PDF's text.
      expect(src).toContain(`${head}${tail}`);
      expect(text).toContain(`${head}${tail}`);
    }
  });

  it('the bilingual letter narrows the spaces between words of a line rather than leave it loose, by a third of a space at most', () => {
    const lines = bodyLines(readGlyphs(pdfFile('bilingual-annual-meeting')));
    const narrowed = lines.filter((line) => line.full && line.wordGap !== undefined && line.stretch < -0.01);
    expect(narrowed.length).toBeGreaterThanOrEqual(2);
    // A space of Noto Serif is a quarter em: a third of it is under 0.09 em.
    for (const line of narrowed) expect(line.stretch, line.text).toBeGreaterThan(-0.09);
    expect(typesetMetrics(pdfFile('bilingual-annual-meeting')).loose.length).toBeLessThanOrEqual(10);
  });

  it('the quarterly letter: a 15-row holdings table of 10-digit figures and a performance table, all whole', async () => {
    const src = await source('quarterly-2024-q3');
    expect(src.match(/^\| .+ \| \d,\d{3},\d{3},\d{3} \|/gm)).toHaveLength(14);
    const text = (await readPdf(await readFile(pdfFile('quarterly-2024-q3'))))
      .flatMap((p) => p.items.map((i) => i.str))
      .join(' ');
    expect(text).toContain('1,032,852,006');
    expect(text).toContain('17,935,384,958');
  });

  it('the annual letter prints its notes after the closing block, without the links back to the text, which the HTML keeps', async () => {
    const glyphs = readGlyphs(pdfFile('annual-2023'));
    const text = glyphs.map((g) => g.c).join('');
    const at = (s: string): Glyph | undefined => glyphs[text.lastIndexOf(s)];
    const [signoff, signature, notice, notes] = [at('此致'), at('远川资本投资团队'), at('本信仅供远川成长基金'), at('注 释')];
    expect(signoff && signature && notice && notes).toBeTruthy();
    for (const before of [signoff, signature, notice]) expect(notes?.y ?? 0).toBeGreaterThan(before?.y ?? Infinity);
    expect(text).not.toContain('↑');
    const html = await readFile(path.join(dir, 'out', 'annual-2023.html'), 'utf8');
    expect(html.indexOf('data-footnotes')).toBeGreaterThan(html.indexOf('class="closing"'));
    expect(html).toMatch(/<a href="#fnref-1"[^>]*data-footnote-backref[^>]*>↑<\/a>/);
  });

  it('the quarterly letter keeps each table with the paragraph that introduces it, and a table that breaks repeats its header', () => {
    const glyphs = readGlyphs(pdfFile('quarterly-2024-q3'));
    const text = glyphs.map((g) => g.c).join('');
    const pageOf = (s: string, from = 0): number => glyphs[text.indexOf(s, from)]?.page ?? -1;
    expect(pageOf('下表列出基金自成立以来')).toBe(pageOf('2024 年第三季度8.7%'));
    const holdings = text.indexOf('季末全部');
    expect(pageOf('季末全部')).toBe(pageOf('台积电', holdings));
    // The holdings table goes on over the next page, under its header again.
    const last = glyphs[text.indexOf('Occidental Petroleum Corp.')];
    const header = glyphs.filter((g, i) => g.page === last?.page && text.startsWith('公司代码', i));
    expect(last?.page).toBeGreaterThan(pageOf('台积电', holdings));
    expect(header.length).toBeGreaterThan(0);
  });

  it('the annual letter runs to more than 30 pages', async () => {
    expect((await readPdf(await readFile(pdfFile('annual-2023')))).length).toBeGreaterThanOrEqual(30);
  });

  it('the parts letter lists its `#` parts and their `##` sections in the TOC, not the `###`', async () => {
    const titles = (await tocOf('research-parts')).map((t) => t.title);
    expect(titles.slice(0, 4)).toEqual(['第一部分：行业回顾', '一、需求：增速放缓，但远未见顶', '二、供给：出清比预期慢', '第二部分：组合回顾']);
    expect(titles).not.toContain('1. 乘用车');
  });

  it('sets every heading level in one face, below the title’s size, each level smaller than the one above', async () => {
    const lines = styledLines(pdfFile('research-parts'));
    const style = (text: string): { fonts: string[]; size: number } => {
      const line = lines.find((l) => l.text === text.replace(/\s+/g, '') && l.page > 1) ?? lines.find((l) => l.text === text.replace(/\s+/g, ''));
      return { fonts: [...(line?.fonts ?? [])], size: line?.size ?? 0 };
    };
    const title = style('新能源产业链研究与组合回顾');
    // h2 (the `#` parts), h3, h4, h5, as the author wrote them with #, ##, ###, ####.
    const levels = ['第二部分：组合回顾', '三、我们的持仓', '1. 电池龙头', '估值'].map(style);
    expect(title.size).toBeGreaterThan(18);
    for (const level of levels) expect(level.fonts).toEqual([expect.stringMatching(/^[A-Z]{6}\+NotoSansSC-Bold$|^NotoSansSC-Bold$/)]);
    expect(levels[0]?.size).toBeLessThan(title.size * 0.75);
    levels.slice(1).forEach((level, i) => expect(level.size, `level ${i + 3}`).toBeLessThan(levels[i]?.size ?? 0));
  });

  it('the bilingual letter’s `</br>`, `<br>` and `<br/>` in cells break the line there', async () => {
    const items = (await readPdf(await readFile(pdfFile('bilingual-annual-meeting')))).flatMap((p) => p.items);
    for (const [above, below] of [['Year', '年份'], ['S&P 500', '标普 500'], ['Difference', '差额']]) {
      const a = items.find((i) => i.str.trim() === above);
      const b = items.find((i) => i.str.trim() === below);
      // In the same cell (aligned at its left or right edge), one line below the other.
      const aligned = a && b && (Math.abs(a.x - b.x) < 2 || Math.abs(a.x + a.width - b.x - b.width) < 2);
      expect(aligned && a.y - b.y > 8, `${above} above ${below}`).toBe(true);
    }
  });

  it('the nine-column table fits a portrait page; the wider one is set on a landscape page with its heading', async () => {
    const pages = await readPdf(await readFile(pdfFile('fund-family-overview')));
    const landscape = pages.filter((p) => p.width > p.height);
    expect(landscape).toHaveLength(1);
    const text = landscape[0]?.items.map((i) => i.str).join('') ?? '';
    expect(text).toContain('三、各期基金历年分配');
    expect(text).toContain('4,989,017,282');
    const nine = pages[0]?.items.map((i) => i.str).join('') ?? '';
    expect(nine).toContain('净 IRR');
  });
});

describe('ids that collide, on the PDF', () => {
  it('footnote and TOC links reach their own targets, not a heading named like them', async () => {
    const data = await readFile(pdfFile('collisions'));
    const pages = await readPdf(data);
    const notes = pages.find((p) => p.items.some((i) => i.str.includes('注释一的正文')))?.number ?? 0;
    expect(notes).toBeGreaterThan(2);
    const links = await readToc(data);
    // TOC entries: each leads to the page where its heading stands (outside any link).
    const toc = links.filter((l) => l.title !== '' && l.title !== '↑');
    expect(toc.map((l) => l.title)).toEqual(['fn-1', 'Footnote label', 'fnref-1', '***', '注释']);
    // (The notes' heading is letter-spaced, so its text is not found whole; its page is the notes' page.)
    for (const entry of toc.slice(0, -1)) expect(entry.destination, entry.title).toBe(entry.found);
    expect(toc.map((l) => l.destination)).toEqual([1, 1, expect.any(Number), notes, notes]);
    // The footnote reference "1" on page 1 leads to the notes, not to the heading "fn-1" beside it (the link back is not printed).
    const reference = links.find((l) => l.title === '' && l.printed === 1 && l.tocPage === 1);
    expect(reference?.destination).toBe(notes);
    // The bookmarks are the same entries (the empty heading is in neither).
    expect((await readBookmarks(data)).slice(1).map((b) => b.title)).toEqual(toc.map((l) => l.title));
    expect(links.find((l) => l.title === '↑')).toBeUndefined();
  });
});

describe('the corpus checks themselves, on PDFs made to fail them', () => {
  const files = new Map<string, string>();
  beforeAll(async () => {
    const { withBrowser } = await import('../../src/chromium/browser.ts');
    const { renderPdf } = await import('../../src/print/render-pdf.ts');
    const { fontFaceCss } = await import('../../src/fonts/font-css.ts');
    const rows = Array.from({ length: 30 }, (_, i) => `<tr><td>第 ${i + 1} 行<br>第二行<br>第三行<br>第四行</td><td>1,032,852,006</td></tr>`).join('');
    const pages = {
      // Rows of four lines, allowed to split: some row straddles the page break.
      'split-rows': `<style>tr { break-inside: auto; }</style><table>${rows}</table>`,
      // The same rows kept whole: the check must find none split (Chromium honours break-inside on rows).
      'whole-rows': `<style>tr { break-inside: avoid; }</style><table>${rows}</table>`,
      // A heading at body size forced to end its page; a figure in a column too narrow for it; a line wider than the page.
      'bad-page': `<h5>小节标题</h5><p style="break-before: page; width: 3em; overflow-wrap: anywhere">1,032,852,006 Underwriting</p><p style="width: 200mm; white-space: nowrap">${'这一行比版心宽得多，伸出了右边距，也伸出了纸张的边缘。'.repeat(3)}</p>`,
    };
    await withBrowser(async (browser) => {
      for (const [name, body] of Object.entries(pages)) {
        const text = `${body}1,032,852,006`;
        const html = `<html lang="zh-CN"><style>${await fontFaceCss(text)} @page { size: A4; margin: 25mm 22mm 24mm; } body { font: 10.5pt/1.8 "Noto Serif SC"; margin: 0; } h5 { font-size: 10pt; margin: 0; }</style><body>${body}</body></html>`;
        const file = path.join(dir, `${name}.pdf`);
        await writeFile(file, (await renderPdf(browser, html)).pdf);
        files.set(name, file);
      }
    });
  });

  it('finds a table row split across pages, and none when rows avoid breaking', async () => {
    expect((await rowsAcrossPages(await readFile(files.get('split-rows') ?? ''))).length).toBeGreaterThan(0);
    expect(await rowsAcrossPages(await readFile(files.get('whole-rows') ?? ''))).toEqual([]);
  });

  it('finds a heading at body size last on a page by its text, a figure broken across lines, and text outside the margins', () => {
    const file = files.get('bad-page') ?? '';
    expect(checkTypography(file).headingsLastOnPage).toEqual([]);
    expect(checkTypography(file, { headings: ['小节标题'] }).headingsLastOnPage).toEqual(['p1 “小节标题”']);
    expect(brokenFigures(file, '1,032,852,006')).toEqual(['1,032,852,006']);
    expect(brokenTableWords(file, '| Underwriting |')).toEqual(['Underwriting']);
    expect(outsideTextArea(file).length).toBeGreaterThan(0);
  });
});
