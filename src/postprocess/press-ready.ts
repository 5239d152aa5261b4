import { cmyk, PDFName, type PDFDocument, type PDFPage } from 'pdf-lib';
import type { Paper } from '../config/page-setup.ts';
import { paperBox } from './paper-boxes.ts';

const mm = 72 / 25.4;
/** Bleed beyond the trim, as printers ask for it. */
export const bleed = 3 * mm;
/** Room outside the bleed for the crop marks. */
const slug = 10 * mm;
/** Marks start this far from the trim corner (outside the bleed) and run to the sheet's edge. */
const markOffset = bleed + 2 * mm;
/** Registration colour: the marks print on every plate. */
const registration = cmyk(1, 1, 1, 1);

/**
 * Makes the printed letter press-ready: each page's sheet grows by a 3 mm
 * bleed and a slug for crop marks (MediaBox), the finished size is declared
 * (TrimBox = the paper size, BleedBox = trim + 3 mm), crop marks are drawn
 * outside the bleed, links are removed (a printer's preflight flags
 * annotations), and a blank page is added when needed so duplex printing ends
 * on a verso.
 */
export function makePressReady(doc: PDFDocument, paper: Paper): void {
  const pages = doc.getPages();
  if (pages.length % 2 === 1) {
    const last = pages.at(-1);
    if (last) pages.push(doc.addPage([last.getWidth(), last.getHeight()]));
  }
  for (const page of pages) {
    // Trim to the exact paper size, turned for a landscape page (a wide table).
    const { x, y, ...trim } = paperBox(page, paper);
    const sheet = bleed + slug;
    page.node.delete(PDFName.of('Annots'));
    page.setMediaBox(x - sheet, y - sheet, trim.width + 2 * sheet, trim.height + 2 * sheet);
    page.setCropBox(x - sheet, y - sheet, trim.width + 2 * sheet, trim.height + 2 * sheet);
    page.setBleedBox(x - bleed, y - bleed, trim.width + 2 * bleed, trim.height + 2 * bleed);
    page.setTrimBox(x, y, trim.width, trim.height);
    drawCropMarks(page, x, y, trim.width, trim.height);
  }
}

/** Eight hairlines, two at each corner, on the trim lines' extensions and never inside the bleed. */
function drawCropMarks(page: PDFPage, left: number, bottom: number, width: number, height: number): void {
  const edge = bleed + slug;
  const right = left + width;
  const top = bottom + height;
  const line = (x1: number, y1: number, x2: number, y2: number): void =>
    page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: 0.25, color: registration });
  for (const x of [left, right]) {
    line(x, bottom - edge, x, bottom - markOffset);
    line(x, top + markOffset, x, top + edge);
  }
  for (const y of [bottom, top]) {
    line(left - edge, y, left - markOffset, y);
    line(right + markOffset, y, right + edge, y);
  }
}
