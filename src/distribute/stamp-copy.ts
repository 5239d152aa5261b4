import { createHash } from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
import { beginMarkedContent, degrees, endMarkedContent, grayscale, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, type PDFFont, type PDFPage } from 'pdf-lib';
import { checkFonts } from '../postprocess/check-fonts.ts';
import type { StampFont } from './stamp-font.ts';

export interface CopyRecipient {
  id: string;
  name: string;
}

/** The footer stamp; the watermark is the name alone, so this text holds every character a copy draws. */
export function stampText(name: string): string {
  return `Prepared for ${name}`;
}

/** The custom Info key that names the copy's recipient. */
export const recipientInfoKey = 'LetterpressRecipient';

const mm = 72 / 25.4;
/** The page's side margin (styles/letter.css: `@page { margin: 25mm 22mm 24mm }`): the stamp ends where the text column ends. */
const sideMargin = 22 * mm;
/** The baseline of the centred `第 n 页 / 共 N 页` footer, which the stamp shares (measured: Chromium centres it in the 24 mm bottom margin). */
const footerBaseline = 30.4;
/** Room kept free for the centred page number: half its widest form (`第 99 页 / 共 99 页` at 8 pt) plus a gap. */
const pageNumberClearance = 52;
const stampSize = 7.5;
const stampMinSize = 4;

/**
 * One LP's copy of the printed letter: "Prepared for <name>" in every page's
 * footer, the name as a faint diagonal watermark, the recipient's id in the
 * metadata. The letter itself is untouched; the stamps are marked as
 * artifacts so screen readers of the tagged PDF skip them.
 */
export async function stampCopy(letterPdf: Uint8Array, recipient: CopyRecipient, stampFont: StampFont): Promise<Uint8Array> {
  const doc = await PDFDocument.load(letterPdf, { updateMetadata: false });
  doc.registerFontkit(fontkit);
  // The font is already cut to this copy's characters; pdf-lib's own subsetting is not needed.
  const font = await doc.embedFont(stampFont.bytes, { subset: false, customName: stampFont.name });
  for (const page of doc.getPages()) {
    page.pushOperators(beginMarkedContent('Artifact'));
    drawWatermark(page, font, recipient.name);
    drawFooterStamp(page, font, stampText(recipient.name));
    page.pushOperators(endMarkedContent());
  }

  const subject = doc.getSubject() ?? doc.getTitle() ?? '';
  doc.setSubject(`${subject} (prepared for ${recipient.id})`);
  // pdf-lib has no setter for custom keys; the Info dictionary is the trailer's /Info.
  doc.context.lookup(doc.context.trailerInfo.Info, PDFDict).set(PDFName.of(recipientInfoKey), PDFHexString.fromText(recipient.id));
  personaliseId(doc, recipient.id);
  checkFonts(doc);
  return doc.save({ useObjectStreams: true });
}

/** Right-aligned on the footer's baseline, shrunk if a long name would reach the page number. */
function drawFooterStamp(page: PDFPage, font: PDFFont, text: string): void {
  const { width } = page.getSize();
  const room = width / 2 - sideMargin - pageNumberClearance;
  const size = Math.max(stampMinSize, Math.min(stampSize, (stampSize * room) / font.widthOfTextAtSize(text, stampSize)));
  const textWidth = font.widthOfTextAtSize(text, size);
  page.drawText(text, { x: width - sideMargin - textWidth, y: footerBaseline, size, font, color: grayscale(0.36) });
}

/** The name across the page along its diagonal, centred; light enough to read the letter through. */
function drawWatermark(page: PDFPage, font: PDFFont, name: string): void {
  const { width, height } = page.getSize();
  const angle = Math.atan2(height, width);
  const diagonal = Math.hypot(width, height);
  const size = Math.min(96, (0.5 * diagonal) / font.widthOfTextAtSize(name, 1));
  const textWidth = font.widthOfTextAtSize(name, size);
  const textHeight = font.heightAtSize(size, { descender: false });
  // pdf-lib rotates about the text's origin, so the origin is placed where the rotated centre lands on the page's centre.
  const x = width / 2 - (Math.cos(angle) * textWidth) / 2 + (Math.sin(angle) * textHeight) / 2;
  const y = height / 2 - (Math.sin(angle) * textWidth) / 2 - (Math.cos(angle) * textHeight) / 2;
  page.drawText(name, { x, y, size, font, color: grayscale(0.5), opacity: 0.17, rotate: degrees((angle * 180) / Math.PI) });
}

/**
 * The trailer ID's first half names the document and stays the letter's own;
 * the second names this version (PDF 32000-1, 14.4), so each copy gets its own.
 */
function personaliseId(doc: PDFDocument, id: string): void {
  const current = doc.context.trailerInfo.ID;
  const permanent = current instanceof PDFArray ? current.lookup(0, PDFHexString) : undefined;
  if (!permanent) return;
  const version = createHash('sha256').update(`${permanent.asString()}\0${id}`).digest('hex').slice(0, 32).toUpperCase();
  doc.context.trailerInfo.ID = doc.context.obj([permanent, PDFHexString.of(version)]);
}
