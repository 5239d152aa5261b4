import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCatalogue, type CatalogueEntry } from '../../src/archive/catalogue.ts';
import { withBrowser } from '../../src/chromium/browser.ts';
import { renderPdf } from '../../src/print/render-pdf.ts';
import { pdfFonts } from '../support/pdf.ts';

const hash = (c: string): string => c.repeat(64);

const entry: CatalogueEntry = {
  version: { date: '2023-12', slug: 'memo', version: 1, dir: '/archive/2023-12/memo/v1', rel: '2023-12/memo/v1' },
  manifest: {
    slug: 'memo',
    date: '2023-12',
    version: 1,
    previous: null,
    title: '拾象大模型观察思考',
    sourcePath: 'content/memo.md',
    paper: 'a4',
    profile: 'pdf',
    pages: 4,
    toc: [],
    files: { 'memo.pdf': { sha256: hash('a'), bytes: 2048 }, 'memo.html': { sha256: hash('b'), bytes: 1024 }, 'memo.md': { sha256: hash('c'), bytes: 512 } },
    letterpressVersion: '0.1.0',
    chromiumVersion: 'Chrome/156',
    fonts: [],
    sourceDateEpoch: null,
    builtAt: '2024-01-01T10:00:00.000Z',
  },
  manifestSha256: hash('1'),
};

/**
 * The archive's index.html in the project's Chromium, which sees no font of
 * the machine: its Chinese is drawn by the faces the page carries.
 */
describe('the archive catalogue without Chinese system fonts', () => {
  it('draws its Chinese with the bundled faces it carries', async () => {
    const { html } = await renderCatalogue([entry]);
    const pdf = await withBrowser(async (browser) => (await renderPdf(browser, html)).pdf);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-catalogue-'));
    try {
      const file = path.join(dir, 'index.pdf');
      await writeFile(file, pdf);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      expect(text).toContain('信函档案');
      expect(text).toContain('拾象大模型观察思考');
      const fonts = pdfFonts(file);
      expect(fonts.length).toBeGreaterThan(0);
      for (const font of fonts) expect(font.name).toMatch(/^[A-Z]{6}\+Noto(Sans|SansMono)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
