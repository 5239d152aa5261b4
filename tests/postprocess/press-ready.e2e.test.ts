import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { pdfFonts } from '../support/pdf.ts';
import { buildFileInProcess, sharedBrowser } from '../support/in-process.ts';
import { projectRoot } from '../support/run-cli.ts';

const mm = 72 / 25.4;
let out: string;
let printPdf: PDFDocument;
let digitalPdf: PDFDocument;

const browser = sharedBrowser();

beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'letterpress-press-'));
  // `build --profile print --pdfx`, in process.
  await browser.use((chromium) =>
    buildFileInProcess(chromium, path.join(projectRoot, 'content/2023-12-llm-observations.md'), out, { page: { paper: 'a4', profile: 'print' }, pdfx: true }),
  );
  printPdf = await PDFDocument.load(await readFile(path.join(out, '2023-12-llm-observations.print.pdf')));
  digitalPdf = await PDFDocument.load(await readFile(path.join(inject('memoOut'), '2023-12-llm-observations.pdf')));
});

describe('the press-ready PDF (--profile print)', () => {
  it('trims to A4 exactly, with a 3 mm bleed inside a larger sheet', () => {
    for (const page of printPdf.getPages()) {
      const trim = page.getTrimBox();
      const bleed = page.getBleedBox();
      const media = page.getMediaBox();
      expect(trim.width).toBeCloseTo(210 * mm, 2);
      expect(trim.height).toBeCloseTo(297 * mm, 2);
      expect(bleed.x).toBeCloseTo(trim.x - 3 * mm, 2);
      expect(bleed.y).toBeCloseTo(trim.y - 3 * mm, 2);
      expect(bleed.width).toBeCloseTo(trim.width + 6 * mm, 2);
      expect(bleed.height).toBeCloseTo(trim.height + 6 * mm, 2);
      expect(media.x).toBeLessThan(bleed.x);
      expect(media.x + media.width).toBeGreaterThan(bleed.x + bleed.width);
    }
  });

  it('has an even number of pages and no annotations a preflight would flag', () => {
    expect(printPdf.getPageCount() % 2).toBe(0);
    for (const page of printPdf.getPages()) expect(page.node.Annots()?.size() ?? 0).toBe(0);
    // And the digital PDF does have its TOC links, so the check above can fail.
    expect(digitalPdf.getPage(0).node.Annots()?.size()).toBeGreaterThan(0);
  });

  it('draws crop marks outside the trim and the bleed, and nothing else there', async () => {
    // 72 dpi: one pixel per point, origin at the sheet's top-left.
    const png = path.join(out, 'sheet');
    execFileSync('pdftoppm', ['-r', '72', '-gray', '-png', '-f', '1', '-l', '1', '-singlefile', path.join(out, '2023-12-llm-observations.print.pdf'), png]);
    const image = PNG.sync.read(await readFile(`${png}.png`));
    const dark = (x: number, y: number): boolean => (image.data[(Math.round(y) * image.width + Math.round(x)) * 4] ?? 255) < 160;
    const page = printPdf.getPage(0);
    const media = page.getMediaBox();
    const trim = page.getTrimBox();
    const left = trim.x - media.x;
    const top = media.y + media.height - (trim.y + trim.height);
    // The vertical mark above the top-left corner, and the horizontal one to its left.
    const marks = [1, 2, 3, 4, 5].flatMap((d) => [dark(left, d), dark(d, top)]);
    expect(marks.filter(Boolean).length).toBeGreaterThanOrEqual(8);
    // Inside the bleed (between the trim and 3 mm outside it) the corner stays blank.
    const bleedBand = [1, 2, 3, 4, 5, 6, 7].flatMap((d) => [dark(left - d, top - d), dark(left, top - d), dark(left - d, top)]);
    expect(bleedBand.filter(Boolean)).toEqual([]);
  });

  it('embeds every font, as subsets of the bundled faces', () => {
    const fonts = pdfFonts(path.join(out, '2023-12-llm-observations.print.pdf'));
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatchObject({ embedded: true, subset: true, type: 'CID TrueType' });
  });
});

describe('the PDF/X file (--pdfx)', () => {
  const file = (): string => path.join(out, '2023-12-llm-observations.pdfx.pdf');

  it('declares PDF/X-3:2002 with a CMYK output intent, and uses no RGB', () => {
    const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', file(), '-'], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
    expect(qdf).toContain('/GTS_PDFXVersion (PDF/X-3:2002)');
    expect(qdf).toMatch(/\/S \/GTS_PDFX/);
    expect(qdf).toMatch(/\/DestOutputProfile \d+ 0 R/);
    expect(qdf).toContain('/Trapped /False');
    expect(qdf).not.toContain('/DeviceRGB');
  });

  it('keeps the trim and bleed boxes, the fonts embedded, and passes qpdf --check', async () => {
    const doc = await PDFDocument.load(await readFile(file()));
    for (const page of doc.getPages()) {
      expect(page.getTrimBox().width).toBeCloseTo(210 * mm, 1);
      expect(page.getBleedBox().width).toBeCloseTo(216 * mm, 1);
    }
    for (const font of pdfFonts(file())) expect(font.embedded).toBe(true);
    expect(execFileSync('qpdf', ['--check', file()], { encoding: 'utf8' })).toContain('No syntax or stream encoding errors');
  });

  it('names the chosen printing condition in its output intent, with the profile letterpress ships for it where it has one', async () => {
    const { convertToPdfx } = await import('../../src/postprocess/convert-pdfx.ts');
    const { frontMatterSchema } = await import('../../src/config/front-matter-schema.ts');
    const meta = frontMatterSchema.parse({ title: '测试', date: '2024-01-01', author: '拾象', recipients: 'LPs', organisation: '拾象', confidentiality: '保密' });
    const print = await readFile(path.join(out, '2023-12-llm-observations.print.pdf'));
    const conditions = [
      ['fogra39', 'FOGRA39', 'FOGRA39L.icc'],
      ['gracol2006-coated1', 'CGATS TR 006', 'CGATS-TR006.icc'],
      ['japan-color-2001-coated', 'JC200103', undefined],
      ['gracol2013-crpc6', 'CGATS21_CRPC6', undefined],
    ] as const;
    for (const [condition, identifier, profile] of conditions) {
      const pdfx = await convertToPdfx(print, meta, condition);
      const file = path.join(out, `${condition}.pdfx.pdf`);
      await writeFile(file, pdfx);
      const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, '-'], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
      const intent = /\/OutputConditionIdentifier <([0-9A-F]+)>/i.exec(qdf)?.[1] ?? '';
      expect(Buffer.from(intent, 'hex').swap16().toString('utf16le').replace(/^\uFEFF/, ''), condition).toBe(identifier);
      expect(qdf).toContain('/GTS_PDFXVersion (PDF/X-3:2002)');
      expect(qdf).not.toContain('/DeviceRGB');
      const doc = await PDFDocument.load(pdfx, { updateMetadata: false });
      const outputIntent = doc.catalog.lookup(PDFName.of('OutputIntents'), PDFArray).lookup(0, PDFDict);
      const embedded = outputIntent.get(PDFName.of('DestOutputProfile'));
      if (profile === undefined) {
        // A registered condition without a profile letterpress may ship: named, no profile.
        expect(embedded, condition).toBeUndefined();
        continue;
      }
      // The very bytes of the profile in src/postprocess/icc, a CMYK output profile.
      const stream = doc.context.lookup(embedded);
      if (!(stream instanceof PDFRawStream)) throw new Error(`${condition}: the output intent's profile is not a stream`);
      const bytes = Buffer.from(decodePDFRawStream(stream).decode());
      expect(bytes.equals(await readFile(path.join(projectRoot, 'src/postprocess/icc', profile))), condition).toBe(true);
      expect(bytes.toString('latin1', 12, 20), condition).toBe('prtrCMYK');
    }
  });

});
