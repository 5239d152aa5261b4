import type { PDFDocument, PDFPage } from 'pdf-lib';
import { type Paper, paperSizes } from '../config/page-setup.ts';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The exact paper of a page Chromium printed (its page is a fraction of a
 * point off, rounded to its pixel grid: A4 comes out 594.96 × 841.92), turned
 * for a landscape page, with its top-left corner where Chromium put it.
 */
export function paperBox(page: PDFPage, paper: Paper): Box {
  const portrait = paperSizes[paper];
  const { width, height } = page.getWidth() > page.getHeight() ? { width: portrait.height, height: portrait.width } : portrait;
  return { x: 0, y: page.getHeight() - height, width, height };
}

/** Every page's MediaBox (and CropBox) made the exact paper size. */
export function setPaperSize(doc: PDFDocument, paper: Paper): void {
  for (const page of doc.getPages()) {
    const { x, y, width, height } = paperBox(page, paper);
    page.setMediaBox(x, y, width, height);
    page.setCropBox(x, y, width, height);
  }
}
