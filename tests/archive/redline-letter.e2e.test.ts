import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const v1 = `---
title: 第三季度致 LP 信
recipients: 全体 LP
date: 2024-10
author: 拾象
organisation: 拾象 Shixiang
confidentiality: 保密
---

本季度市场波动较大，我们保持了谨慎的仓位。

## 一、组合表现

1) 基金净值上涨 3.2%，跑赢基准。
2) 新增两笔投资，均为早期项目。
3) 退出一笔，回报 2.1 倍。

| 项目 | 阶段 | 金额 |
| --- | --- | ---: |
| 甲 | A 轮 | 500 万 |
| 乙 | 种子 | 200 万 |

## 二、展望

我们预计明年模型训练成本继续上升[^1]。

[^1]: 来自公开报道。
`;

const v2 = v1
  .replace('title: 第三季度致 LP 信', 'title: 第三季度致 LP 的信')
  .replace('保持了谨慎的仓位', '保持了相对谨慎的仓位，并增加了现金储备')
  .replace('2) 新增两笔投资，均为早期项目。\n', '')
  .replace('| 乙 | 种子 | 200 万 |', '| 乙 | 种子 | 300 万 |\n| 丙 | B 轮 | 800 万 |')
  .replace('继续上升', '继续快速上升');

const accent = '#0a5c36';
const grey = '#5c5c5c';
const ink = '#1a1a1a';

/** A colour as MuPDF gives it (`#rrggbb`, or `r g b` from 0 to 1) as 0–255 channels. */
function channels(color: string): number[] {
  if (color.startsWith('#')) return [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  return color.split(' ').map((v) => Number(v) * 255);
}

/** The same colour, give or take MuPDF's rounding. */
const near = (color: string, target: string): boolean => {
  const [a, b] = [channels(color), channels(target)];
  return a.length === 3 && a.every((v, i) => Math.abs(v - (b[i] ?? -99)) <= 2);
};

interface Char {
  c: string;
  x: number;
  /** Where the character ends. */
  right: number;
  y: number;
  color: string;
}

/** Every character of a page as MuPDF reads it (stext): position and fill colour. */
function chars(pdf: string, page: number): Char[] {
  const xml = execFileSync('mutool', ['draw', '-F', 'stext', '-o', '-', pdf, String(page)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return [...xml.matchAll(/<char quad="[\d.]+ [\d.]+ ([\d.]+) [^"]*" x="([\d.]+)" y="([\d.]+)" color="(#[0-9a-f]{6})" c="([^"]*)"/g)].map((m) => ({
    right: Number(m[1]),
    x: Number(m[2]),
    y: Number(m[3]),
    color: m[4]!,
    c: m[5]!.replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16))).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'),
  }));
}

/** The runs of characters drawn in `color`, in reading order, each as one string: a run ends where another colour or a gap begins. */
function runsIn(page: Char[], color: string): string[] {
  const runs: string[] = [];
  let last: Char | undefined;
  for (const ch of page) {
    if (near(ch.color, color)) {
      if (last && near(last.color, color) && last.y === ch.y && Math.abs(ch.x - last.right) < 1) runs[runs.length - 1] += ch.c;
      else runs.push(ch.c);
    }
    last = ch;
  }
  return runs.map((r) => r.trim()).filter(Boolean);
}

interface Rect {
  color: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The filled rectangles of a page (MuPDF's trace), in the stext's coordinates: rules, underlines, strike-throughs and bars. */
function rects(pdf: string, page: number): Rect[] {
  const trace = execFileSync('mutool', ['trace', pdf, String(page)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return [...trace.matchAll(/<fill_path [^>]*color="([^"]+)"[^>]*transform="([^"]+)">([\s\S]*?)<\/fill_path>/g)].flatMap((m) => {
    const [a, , , d, e, f] = m[2]!.split(' ').map(Number) as [number, number, number, number, number, number];
    const points = [...m[3]!.matchAll(/x="([-\d.]+)" y="([-\d.]+)"/g)].map((p) => [a * Number(p[1]) + e, d * Number(p[2]) + f] as const);
    if (points.length === 0) return [];
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    return [{ color: m[1]!, x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) }];
  });
}

/**
 * Two archived versions of a letter in a project with a house style, and the
 * redline between them, read from the PDF: the text of each inserted and
 * deleted run and its colour, the lines drawn under, through and beside them,
 * the summary.
 */
describe('diff: the letter in its own design with what changed marked', () => {
  let dir: string;
  let pdf: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-redline-'));
    await mkdir(path.join(dir, 'content'));
    await writeFile(path.join(dir, 'letterpress.config.yaml'), `accent: "${accent}"\n`);
    const letter = path.join(dir, 'content', 'q.md');
    await writeFile(letter, v1);
    for (const source of [v1, v2]) {
      await writeFile(letter, source);
      const archived = await runCli(['archive'], { cwd: dir });
      expect(archived.code, archived.stderr).toBe(0);
    }
    const result = await runCli(['diff', 'q', 'v1', 'v2'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    pdf = path.join(dir, 'dist/diff/q-v1-v2.pdf');
  });

  it('archives the house style with each version', async () => {
    expect(await readdir(path.join(dir, 'dist/archive/2024-10/q/v2'))).toContain('house-style.json');
  });

  it('sums up the change at the top: counts, sections touched, front-matter values in words', () => {
    const text = execFileSync('pdftotext', ['-layout', '-f', '1', '-l', '1', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('修订对照 v1 → v2');
    expect(text).toContain('插入 21 字 · 删除 15 字');
    expect(text).toMatch(/改动的部分 开篇、一、组合表现、二、展望/);
    expect(text).toContain('标题由「第三季度致 LP 信」改为「第三季度致 LP 的信」');
    // The letter follows in its own design: letterhead, Chinese labels, TOC.
    expect(text).toMatch(/致\s+全体 LP/);
    expect(text).toMatch(/目\s*录/);
  });

  it('sets inserted runs in the accent colour, underlined, and deleted runs grey, struck through', () => {
    const page = chars(pdf, 1);
    const inserted = runsIn(page, accent);
    expect(inserted).toEqual(expect.arrayContaining(['相对', '，并增加了现金储备', '3', '丙', 'B 轮', '800 万']));
    const deleted = runsIn(page, grey);
    // The struck item keeps its number, greyed with it.
    expect(deleted).toEqual(expect.arrayContaining(['2) 新增两笔投资，均为早期项目。', '2']));
    expect(runsIn(chars(pdf, 2), accent)).toContain('快速');

    const lines = rects(pdf, 1);
    const under = (run: string, color: string, where: (r: Rect, top: number, bottom: number) => boolean): boolean => {
      const first = page.findIndex((ch, i) => page.slice(i, i + run.length).map((c) => c.c).join('') === run);
      const span = page.slice(first, first + run.length);
      const [left, right, baseline] = [span[0]!.x, span.at(-1)!.x, span[0]!.y];
      return lines.some((r) => near(r.color, color) && r.x0 <= left + 1 && r.x1 >= right && where(r, baseline - 10, baseline));
    };
    // An underline just below the baseline, in the accent colour; a strike-through across the middle of the characters.
    expect(under('相对', accent, (r, _top, baseline) => r.y0 >= baseline - 1 && r.y1 <= baseline + 4)).toBe(true);
    expect(under('新增两笔投资', ink, (r, top, baseline) => r.y0 > top && r.y1 < baseline)).toBe(true);
  });

  it('draws a bar in the left margin beside every changed line, and beside no other', () => {
    const page = chars(pdf, 1);
    const bars = rects(pdf, 1).filter((r) => near(r.color, accent) && r.x1 - r.x0 < 3 && r.y1 - r.y0 > 8);
    const left = Math.min(...page.map((c) => c.x));
    expect(bars.every((b) => b.x1 < left)).toBe(true);
    // A list's numbers are in the accent colour too: `3)` is no change.
    const marker = (i: number): boolean => page[i]!.c === ')' || (/\d/.test(page[i]!.c) && page[i + 1]?.c === ')');
    const changed = [...new Set(page.filter((c, i) => c.c.trim() !== '' && !marker(i) && (near(c.color, accent) || near(c.color, grey))).map((c) => c.y))];
    const barred = (y: number): boolean => bars.some((b) => b.y0 <= y && b.y1 >= y - 10);
    // The body's changed lines (below the summary and letterhead, which use the same colours for other things).
    const start = page.findIndex((c, i) => page.slice(i, i + 3).map((ch) => ch.c).join('') === '本季度');
    const body = changed.filter((y) => y >= (page[start]?.y ?? Infinity) && y < 780);
    expect(body.length).toBe(4); // the paragraph, the struck item, two rows of the table
    for (const y of body) expect(barred(y), `line at y=${y}`).toBe(true);
    const unchanged = [...new Set(page.filter((c) => c.c === '退' || c.c === '甲').map((c) => c.y))];
    for (const y of unchanged) expect(barred(y), `line at y=${y}`).toBe(false);
  });

  it('the archived versions rebuild to the same bytes with their house style', async () => {
    const result = await runCli(['verify', '--rebuild'], { cwd: dir });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(await readFile(path.join(dir, 'dist/archive/2024-10/q/v1/house-style.json'), 'utf8')).toContain(accent);
  });
});
