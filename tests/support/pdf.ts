import { execFileSync } from 'node:child_process';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';

export interface PdfText {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PdfPage {
  number: number;
  width: number;
  height: number;
  items: PdfText[];
}

/** Every page of a PDF with its positioned text runs (PDF units, origin bottom-left). */
export async function readPdf(data: Uint8Array): Promise<PdfPage[]> {
  const doc = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const [, , width, height] = page.view as [number, number, number, number];
    const content = await page.getTextContent();
    const items = (content.items as TextItem[])
      .filter((it) => 'str' in it && it.str.length > 0)
      .map((it) => ({ str: it.str, x: it.transform[4] as number, y: it.transform[5] as number, width: it.width, height: it.height }));
    pages.push({ number: n, width, height, items });
  }
  await doc.destroy();
  return pages;
}

/** Text in the top or bottom margin band (running header and footer), by position. */
export function isRunningMatter(page: PdfPage, item: PdfText, band = 60): boolean {
  return item.y > page.height - band || item.y < band;
}

/** All body text of the PDF in reading order, running header/footer removed, whitespace dropped. */
export function bodyText(pages: PdfPage[]): string {
  return pages
    .flatMap((page) => page.items.filter((it) => !isRunningMatter(page, it)).map((it) => it.str))
    .join('')
    .replace(/\s+/g, '');
}

export function footerText(page: PdfPage): string {
  return page.items
    .filter((it) => it.y < 60)
    .map((it) => it.str)
    .join('')
    .trim();
}

export function headerText(page: PdfPage): string {
  return page.items
    .filter((it) => it.y > page.height - 60)
    .map((it) => it.str)
    .join('')
    .trim();
}

export interface FontRow {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
}

/** The font table `pdffonts` (poppler) prints, parsed. */
export function pdfFonts(file: string): FontRow[] {
  const out = execFileSync('pdffonts', [file], { encoding: 'utf8' });
  return out
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const cols = line.trim().split(/\s{2,}|\s(?=yes|no)/);
      const flags = line.match(/\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/);
      return {
        name: cols[0] ?? '',
        type: line.slice(37, 55).trim(),
        embedded: flags?.[1] === 'yes',
        subset: flags?.[2] === 'yes',
      };
    });
}

/** Each page's MediaBox and TrimBox (width × height, in points), as pdf-lib reads them. */
export async function pageBoxes(data: Uint8Array): Promise<{ media: { width: number; height: number }; trim: { width: number; height: number } }[]> {
  const { PDFDocument } = await import('pdf-lib');
  const doc = await PDFDocument.load(data, { updateMetadata: false });
  return doc.getPages().map((page) => ({ media: page.getMediaBox(), trim: page.getTrimBox() }));
}
