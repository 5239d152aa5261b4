import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { longLetter, memoSource } from '../support/long-letter.ts';
import { readPdf } from '../support/pdf.ts';
import { buildInProcess, sharedBrowser, type InProcessBuild } from '../support/in-process.ts';
import { readToc, type TocCheck } from '../support/toc-report.ts';
import { buildLetter } from '../../src/pipeline/build-letter.ts';
import { useCacheRoot } from '../../src/common/cache-dir.ts';
import { loadLetters } from '../../src/load/load-letters.ts';

const memoPdf = path.join(inject('memoOut'), '2023-12-llm-observations.pdf');

const browser = sharedBrowser();

function build(name: string, source: string, cacheDir?: string): Promise<InProcessBuild> {
  return browser.use((chromium) => buildInProcess(chromium, name, source, { cacheDir }));
}

function expectExact(checks: TocCheck[]): void {
  for (const check of checks) {
    expect(check, check.title).toEqual({ ...check, printed: check.destination, found: check.destination, footer: check.destination });
  }
}

describe('the table of contents', () => {
  it('numbers the memo exactly: printed = link destination = page of the heading = footer', async () => {
    const checks = await readToc(await readFile(memoPdf));
    expect(checks.map((c) => c.title)).toEqual(['I. 闭源模型', 'II. 开源模型', 'III. 多模态模型', 'IV. 大模型应用格局']);
    expectExact(checks);
    expect(checks.every((c) => c.tocPage === 1)).toBe(true);
  });

  describe('on a long letter whose TOC spans pages', () => {
    let checks: TocCheck[];
    let html: string;
    let cold: InProcessBuild;
    let targetsOpened = 0;
    let cache: string;
    beforeAll(async () => {
      // A cache of its own: the first build knows no page numbers yet.
      cache = await mkdtemp(path.join(os.tmpdir(), 'letterpress-toc-cache-'));
      const source = await longLetter(16);
      cold = await browser.use(async (chromium) => {
        const count = (): void => void targetsOpened++;
        chromium.on('targetcreated', count);
        try {
          return await buildInProcess(chromium, 'long', source, { cacheDir: cache });
        } finally {
          chromium.off('targetcreated', count);
        }
      });
      checks = await readToc(cold.pdf);
      html = cold.html;
    });

    it('lists every part and sub-heading, on two or more pages', () => {
      expect(checks).toHaveLength(16 * 4 * 2);
      expect(new Set(checks.map((c) => c.tocPage)).size).toBeGreaterThanOrEqual(2);
    });

    it('keeps every number exact although the TOC pushes the body down', () => {
      expectExact(checks);
      expect(Math.min(...checks.map((c) => c.printed))).toBeGreaterThan(Math.max(...checks.map((c) => c.tocPage)));
    });

    it('writes the same numbers into the HTML', () => {
      const inHtml = [...html.matchAll(/class="toc-page" data-target="[^"]+">(\d+)</g)].map((m) => Number(m[1]));
      expect(inHtml).toEqual(checks.map((c) => c.printed));
    });

    const passes = (stderr: string): number => Number(/(\d+) pass\(es\)/.exec(stderr)?.[1]);

    it('lays out again only while the numbers move, in one browser and one tab', () => {
      expect(passes(cold.log)).toBeGreaterThanOrEqual(2);
      expect(passes(cold.log)).toBeLessThanOrEqual(5);
      // Every pass re-prints the page already loaded: at most the one tab of the build was opened in the shared browser.
      expect(targetsOpened).toBeLessThanOrEqual(1);
    });

    it('rebuilds in one pass from the numbers it kept, to the same bytes', async () => {
      const warm = await build('long', await longLetter(16), cache);
      expect(passes(warm.log)).toBe(1);
      expect(Buffer.from(warm.pdf).equals(Buffer.from(cold.pdf))).toBe(true);
      expect(warm.html).toBe(cold.html);
    });

    it('does not trust kept numbers that are wrong', async () => {
      const { readdir, writeFile: write } = await import('node:fs/promises');
      // Every entry kept: the document's own, and its letter file's last numbers.
      for (const entry of await readdir(path.join(cache, 'toc'))) {
        const kept = path.join(cache, 'toc', entry);
        const wrong = (JSON.parse(await readFile(kept, 'utf8')) as [string, number][]).map(([id, n]): [string, number] => [id, n + 1]);
        await write(kept, JSON.stringify(wrong));
      }
      const rebuilt = await build('long', await longLetter(16), cache);
      expect(passes(rebuilt.log)).toBeGreaterThanOrEqual(2);
      expectExact(await readToc(rebuilt.pdf));
      expect(Buffer.from(rebuilt.pdf).equals(Buffer.from(cold.pdf))).toBe(true);
    });
  });

  it('tries the last numbers of the same letter file after an edit: one pass, and the bytes of a build that found them in two', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-toc-edit-'));
    const file = path.join(dir, 'letter.md');
    const buildFile = async (text: string, cacheDir: string): Promise<{ passes: number; pdf: Uint8Array }> => {
      await writeFile(file, text);
      const lines: string[] = [];
      useCacheRoot(cacheDir);
      try {
        const [letter] = await loadLetters([file], dir);
        const built = await browser.use((chromium) => buildLetter(letter!, { page: { paper: 'a4', profile: 'pdf' }, log: (l) => lines.push(l) }, chromium));
        return { passes: Number(/(\d+) pass\(es\)/.exec(lines.join('\n'))?.[1]), pdf: built.pdf! };
      } finally {
        useCacheRoot(undefined);
      }
    };
    const cache = path.join(dir, 'cache');
    // Too long for the pages to be estimated: a build without kept numbers prints twice.
    const letter = await longLetter(6);
    const first = await buildFile(letter, cache);
    const edited = letter.replace('判断猜想：', '判断猜想；');
    expect(edited).not.toBe(letter);
    const again = await buildFile(edited, cache);
    const cold = await buildFile(edited, path.join(dir, 'other-cache'));
    expect(first.passes).toBe(2);
    expect(again.passes).toBe(1);
    expect(cold.passes).toBe(2);
    expect(Buffer.from(again.pdf).equals(Buffer.from(cold.pdf))).toBe(true);
  });

  it('prints no TOC, and no empty page, for a letter without headings', async () => {
    const memo = await readFile(memoSource, 'utf8');
    const { pdf } = await build('plain', memo.replace(/^## .+$/gm, ''));
    const pages = await readPdf(pdf);
    expect(await readToc(pdf)).toEqual([]);
    expect(pages.flatMap((p) => p.items.map((i) => i.str)).join('')).not.toContain('目录');
    for (const page of pages) expect(page.items.filter((i) => i.y > 60 && i.y < page.height - 60).length).toBeGreaterThan(0);
  });

  it('can be turned off in the front matter', async () => {
    const memo = await readFile(memoSource, 'utf8');
    const { pdf } = await build('no-toc', memo.replace('lang: zh-CN', 'lang: zh-CN\ntoc: false'));
    expect(await readToc(pdf)).toEqual([]);
  });
});

describe('the PDF outline and metadata', () => {
  it('has the title and the parts as bookmarks, in Chinese, each opening its page', async () => {
    const data = await readFile(memoPdf);
    const doc = await getDocument({ data: new Uint8Array(data), isEvalSupported: false }).promise;
    const outline = await doc.getOutline();
    expect(outline.map((o) => o.title)).toEqual(['拾象大模型观察思考 - 最新判断猜想']);
    expect(outline[0]!.items.map((o) => o.title)).toEqual(['I. 闭源模型', 'II. 开源模型', 'III. 多模态模型', 'IV. 大模型应用格局']);
    const tocByTitle = new Map((await readToc(data)).map((c) => [c.title, c.destination]));
    for (const item of outline[0]!.items) {
      const ref = (item.dest as [{ num: number; gen: number }])[0];
      expect((await doc.getPageIndex(ref)) + 1, item.title).toBe(tocByTitle.get(item.title));
    }
    await doc.destroy();
  });

  it('carries title, author, subject, keywords, language and the letter’s date, tagged', () => {
    const info = execFileSync('pdfinfo', [memoPdf], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    expect(info).toMatch(/^Title:\s+拾象大模型观察思考 - 最新判断猜想$/m);
    expect(info).toMatch(/^Author:\s+拾象 Shixiang$/m);
    expect(info).toMatch(/^Subject:\s+拾象对大模型闭源、开源、多模态与应用格局的最新判断$/m);
    expect(info).toMatch(/^Keywords:\s+大模型, 闭源模型, 开源模型, 多模态模型, 应用格局, Scaling Law$/m);
    expect(info).toMatch(/^Creator:\s+letterpress \d+\.\d+\.\d+$/m);
    expect(info).toMatch(/^Producer:\s+letterpress \d+\.\d+\.\d+ \(.*Chrom.*\)$/m);
    expect(info).toMatch(/^CreationDate:\s+Fri Dec\s+1 00:00:00 2023 UTC$/m);
    expect(info).toMatch(/^ModDate:\s+Fri Dec\s+1 00:00:00 2023 UTC$/m);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    const json = JSON.parse(execFileSync('qpdf', ['--json', '--json-key=qpdf', memoPdf], { encoding: 'utf8' })) as {
      qpdf: [unknown, Record<string, { value?: Record<string, unknown> }>];
    };
    const objects = json.qpdf[1];
    const trailer = objects.trailer?.value as { '/Root': string; '/ID': string[] };
    const catalog = objects[`obj:${trailer['/Root']}`]?.value;
    expect(catalog?.['/Lang']).toBe('u:zh-CN');
    expect(catalog?.['/MarkInfo']).toMatchObject({ '/Marked': true });
    expect(catalog?.['/StructTreeRoot']).toBeDefined();
    expect(trailer['/ID']).toHaveLength(2);
  });
});
