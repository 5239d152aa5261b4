import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { buildLetter, type LetterBuild } from '../../src/pipeline/build-letter.ts';
import { previewLetter, type LetterPreview } from '../../src/dev/preview-letter.ts';
import { letterFile } from '../../src/load/load-letters.ts';
import { KeptTab, type StagedDocument } from '../../src/print/print-tab.ts';
import { renderPdf } from '../../src/print/render-pdf.ts';
import { sharedBrowser } from '../support/in-process.ts';
import { bodyText, pdfFonts, readPdf } from '../support/pdf.ts';
import { changedPixels, renderPages } from '../support/visual.ts';

const browser = sharedBrowser();
const memo = await readFile(path.join(import.meta.dirname, '../../content/2023-12-llm-observations.md'), 'utf8');
const dir = mkdtempSync(path.join(os.tmpdir(), 'letterpress-print-tab-'));

const page = { paper: 'a4', profile: 'pdf' } as const;
const memoFile = (source: string) => letterFile('content/memo.md', source, path.join(import.meta.dirname, '../..'));

/** A build of the letter, fresh. */
function build(source: string): Promise<LetterBuild> {
  return browser.use((chromium) => buildLetter(memoFile(source), { page }, chromium));
}

/** The preview's pages (untagged, not post-processed) printed in the kept tab, as `dev` makes them. */
function preview(source: string, tab: KeptTab): Promise<LetterPreview> {
  return browser.use((chromium) => previewLetter(memoFile(source), { page, tab }, chromium));
}

/** Both PDFs have the same pages, drawn alike pixel for pixel (poppler at 100 dpi). */
async function expectSamePages(name: string, kept: Uint8Array, fresh: Uint8Array): Promise<void> {
  const files = [path.join(dir, `${name}-kept.pdf`), path.join(dir, `${name}-fresh.pdf`)] as const;
  await writeFile(files[0], kept);
  await writeFile(files[1], fresh);
  const [a, b] = [renderPages(files[0]), renderPages(files[1])];
  expect(a.length).toBe(b.length);
  a.forEach((page, i) => expect(changedPixels(page, b[i] ?? ''), `${name}: page ${i + 1} differs`).toBe(0));
}

describe('a tab kept between prints (the live preview)', () => {
  it('swaps an edited body into the loaded page and shows the pages a fresh build prints', async () => {
    const tab = new KeptTab();
    try {
      const original = await preview(memo, tab);
      // An edit of the text, and one that moves the pages (a paragraph many times over): no new character, so the
      // head (styles, font subsets) is the same, the body is swapped in and the fonts stay.
      const paragraph = /^[^\n#>*|-][^\n]{60,}$/m.exec(memo.slice(memo.indexOf('\n---', 4)))?.[0];
      if (!paragraph) throw new Error('no paragraph in the memo');
      const edited = memo.replace('。', '，').replace(paragraph, Array(12).fill(paragraph).join('\n\n'));
      const kept = await preview(edited, tab);
      expect(tab.loads).toEqual({ swapped: 1, whole: 1 });
      const fresh = await build(edited);
      expect((await readPdf(kept.pdf)).length).toBeGreaterThan((await readPdf(original.pdf)).length);
      expect((await readPdf(kept.pdf)).length).toBe(fresh.pages);
      expect(bodyText(await readPdf(kept.pdf))).toBe(bodyText(await readPdf(fresh.pdf)));
      expect(kept.toc).toEqual(fresh.toc);
      await expectSamePages('edited', kept.pdf, fresh.pdf);
      // A change of the document's head (the title is in <title> and the running header): loaded whole, and still the same.
      const retitled = edited.replace(/^title: .*$/m, 'title: 另一个标题');
      await expectSamePages('retitled', (await preview(retitled, tab)).pdf, (await build(retitled)).pdf);
      expect(tab.loads).toEqual({ swapped: 1, whole: 2 });
      // A character the letter did not have: the same head, other font subsets (rules compared apart from it): loaded whole.
      const newCharacter = retitled.replace('。', '。龘');
      await expectSamePages('new character', (await preview(newCharacter, tab)).pdf, (await build(newCharacter)).pdf);
      expect(tab.loads).toEqual({ swapped: 1, whole: 3 });
    } finally {
      await tab.close();
    }
  });
});

describe('a document loaded before its fonts are cut (a staged document)', () => {
  it('prints the memo given its font rules late and in reverse order as it prints the memo loaded whole', async () => {
    const html = await readFile(path.join(inject('memoOut'), '2023-12-llm-observations.html'), 'utf8');
    // The first style element holds the font stacks and one @font-face rule per line (render-document, fontRules).
    const fonts = /<style>\n([\s\S]*?)\n<\/style>/.exec(html);
    const rules = fonts?.[1]?.split('\n') ?? [];
    expect(rules.filter((rule) => rule.startsWith('@font-face')).length).toBeGreaterThanOrEqual(4);
    const late = (text: string, ms: number): Promise<string> => new Promise((resolve) => setTimeout(() => resolve(text), ms));
    // Made when the whole document is printed, so its rules come during the staged load (in reverse, the first last).
    const stage = (): StagedDocument => ({
      fontless: html.replace(fonts![0], '<style>\n/* fonts */\n</style>'),
      fontRules: rules.map((rule, i) => late(rule, (rules.length - i) * 100)),
    });
    const [whole, early] = await browser.use(async (chromium) => {
      const first = (await renderPdf(chromium, html)).pdf;
      return [first, (await renderPdf(chromium, stage())).pdf];
    });
    const names = async (name: string, pdf: Uint8Array): Promise<string[]> => {
      const file = path.join(dir, `${name}.pdf`);
      await writeFile(file, pdf);
      return pdfFonts(file).map((row) => row.name.replace(/^[A-Z]{6}\+/, ''));
    };
    expect(await names('staged', early!)).toEqual(await names('whole', whole!));
    expect(bodyText(await readPdf(early!))).toBe(bodyText(await readPdf(whole!)));
    await expectSamePages('staged', early!, whole!);
  });
});
