import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { bodyText, footerText, headerText, pageBoxes, pdfFonts, readPdf, type PdfPage } from '../support/pdf.ts';
import { projectRoot } from '../support/run-cli.ts';
import { readGlyphs } from '../support/glyphs.ts';
import { bodyLines, typesetMetrics } from '../support/typeset-metrics.ts';

const out = inject('memoOut');
const pdfPath = path.join(out, '2023-12-llm-observations.pdf');
const htmlPath = path.join(out, '2023-12-llm-observations.html');

/**
 * The memo's body as the fund wrote it (the text extracted from the original PDF), with the page-break split of
 * point 29 joined. Its "- " before a numbered point is the point's list marker (the PDF prints the number alone);
 * before a sub-point it is a bullet, which the letter prints as "·".
 */
async function sourceBody(): Promise<string[]> {
  const text = await readFile(path.join(projectRoot, 'tests/fixtures/memo-source.txt'), 'utf8');
  return text
    .replace('你会怎么\n\n选？', '你会怎么选？')
    .split('\n')
    .map((line) => line.trim().replace(/^- (?=\d+\) )/, '').replace(/^- /, '·'))
    .filter((line) => line && !/^(拾象大模型观察思考 - 最新判断猜想|To:|Date:)/.test(line));
}

const squash = (s: string): string => s.replace(/\s+/g, '');

describe('the memo, built by `letterpress build`', () => {
  let pages: PdfPage[];
  beforeAll(async () => {
    pages = await readPdf(await readFile(pdfPath));
  });

  it('writes the PDF and the HTML, nothing else', async () => {
    expect((await readdir(out)).sort()).toEqual(['2023-12-llm-observations.html', '2023-12-llm-observations.pdf']);
  });

  it('is a few pages of exactly A4 (595.28 × 841.89 pt)', async () => {
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.length).toBeLessThanOrEqual(6);
    for (const { media } of await pageBoxes(await readFile(pdfPath))) {
      expect(media.width).toBeCloseTo(595.28, 2);
      expect(media.height).toBeCloseTo(841.89, 2);
    }
  });

  it('leaves no single-character last line (孤字)', () => {
    expect(typesetMetrics(pdfPath).lonely).toEqual([]);
  });

  it('sets no justified line stretched: point 16 is broken with its paragraph, not line by line', () => {
    const lines = bodyLines(readGlyphs(pdfPath));
    // At its own size: a line wider than the page would have Chromium shrink every page to fit.
    expect(lines[0]?.size).toBeCloseTo(10.5, 1);
    const research = lines.find((line) => line.text.includes('research focus'));
    expect(research?.hanGap ?? 0, research?.text).toBeLessThanOrEqual(0.15);
    expect(typesetMetrics(pdfPath).stretched).toEqual([]);
    for (const line of lines.filter((l) => l.full)) expect(line.wordGap ?? 0, line.text).toBeLessThanOrEqual(1);
  });

  it('fits point 16’s first line by setting marks inside it half-width, so it is not loose', () => {
    const lines = bodyLines(readGlyphs(pdfPath));
    const first = lines.find((line) => line.text.includes('模型公司今天的核心还是提升'));
    expect(first?.full, first?.text).toBe(true);
    // Full-width marks before the line's last character, set at half their width (the font's halt): the next glyph starts half an em on.
    const body = first!.glyphs.filter((g) => g.c.trim());
    const halved = body.slice(0, -1).filter((g, i) => '，。：、；'.includes(g.c) && (body[i + 1]!.x0 - g.x0) / first!.size < 0.6);
    expect(halved.length, first!.text).toBeGreaterThanOrEqual(1);
    expect(first!.stretch, first!.text).toBeLessThanOrEqual(0.08);
  });

  it('holds every character of the source body, in order', async () => {
    const expected = squash((await sourceBody()).join(''));
    const actual = bodyText(pages);
    // The letterhead (title, recipients, date) comes first; the body follows it verbatim.
    const start = actual.indexOf('几点对模型最新的判断猜想');
    expect(start).toBeGreaterThan(0);
    expect(actual.slice(start)).toBe(expected);
  });

  it('has all 31 points with their original numbers, in order', async () => {
    const text = bodyText(pages);
    const points = (await sourceBody()).filter((line) => /^\d+\) /.test(line));
    expect(points).toHaveLength(31);
    let from = 0;
    for (const [i, point] of points.entries()) {
      expect(point.startsWith(`${i + 1}) `)).toBe(true);
      const at = text.indexOf(squash(point), from);
      expect(at, `point ${i + 1}`).toBeGreaterThanOrEqual(from);
      from = at + 1;
    }
  });

  it('shows the letterhead on page 1: organisation, title, recipients, date, label', () => {
    const first = squash(pages[0]!.items.map((i) => i.str).join(''));
    // A Chinese letter's labels are Chinese (the house style's defaults).
    for (const part of ['拾象Shixiang', '拾象大模型观察思考-最新判断猜想', '致ShixiangFlagshipFundLPs', '日期2023-12', '保密·仅供LP参阅']) {
      expect(first).toContain(part);
    }
  });

  it('numbers every page in the footer: 第 n 页 / 共 N 页', () => {
    for (const page of pages) expect(footerText(page)).toBe(`第 ${page.number} 页 / 共 ${pages.length} 页`);
  });

  it('runs the short title and the confidentiality label as a header from page 2 on', () => {
    expect(headerText(pages[0]!)).toBe('');
    for (const page of pages.slice(1)) {
      expect(squash(headerText(page))).toBe('拾象大模型观察思考保密·仅供LP参阅');
    }
  });

  it('embeds only subsets of the bundled Noto fonts', () => {
    const fonts = pdfFonts(pdfPath);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font.name).toMatch(/^[A-Z]{6}\+NotoS(erif|ans)SC-(Regular|Bold)$/);
      expect(font.type).toBe('CID TrueType');
      expect(font.embedded).toBe(true);
      expect(font.subset).toBe(true);
    }
  });

  it('writes an HTML that stands alone: no links out, fonts inline, no absolute or node_modules paths', async () => {
    const html = await readFile(htmlPath, 'utf8');
    expect(html).toMatch(/^<!doctype html><html lang="zh-CN">/);
    expect(html).toContain('<title>拾象大模型观察思考 - 最新判断猜想</title>');
    expect(html).not.toMatch(/node_modules|file:|https?:\/\/|(src|href)="\//);
    expect(html.match(/@font-face/g)?.length).toBe(4);
    expect(html).not.toMatch(/<script/i);
  });

});
