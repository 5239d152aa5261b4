import { createHash } from 'node:crypto';
import { PDFDict, PDFHexString, PDFName, type PDFDocument } from 'pdf-lib';
import type { FrontMatter } from '../config/front-matter-schema.ts';
import { loadPdf } from '../pdf/load-pdf.ts';
import { letterpressVersion } from '../version.ts';
import type { PageSetup } from '../config/page-setup.ts';
import { checkFonts } from './check-fonts.ts';
import { makePressReady } from './press-ready.ts';
import { normaliseStructureIds } from './structure-ids.ts';

export interface FinalizeInput {
  pdf: Uint8Array;
  /** `pdf` already parsed (by the TOC pass), if it was. */
  document?: PDFDocument;
  meta: FrontMatter;
  /** The Markdown source and build options: the document ID is derived from them, not from the clock. */
  fingerprint: string;
  browserVersion: string;
  /** Text of every heading in document order (the letter's title first): the outline's titles. */
  headingTexts: string[];
  /** The `print` profile makes it press-ready: bleed, crop marks, page boxes. */
  page: PageSetup;
  /** The PDF's creation and modification date: the letter's own, or SOURCE_DATE_EPOCH's (never the clock). */
  date: Date;
}

export interface FinalPdf {
  pdf: Uint8Array;
  pages: number;
}

/**
 * The PDF's metadata, set after printing: Chromium writes the page's URL as
 * the producer, the build time as dates and a time-based ID. Here they become
 * the letter's own: title, author, subject, keywords, letterpress as creator,
 * the build's date (the letter's, or SOURCE_DATE_EPOCH) as dates, an ID from the content.
 */
export async function finalizePdf(input: FinalizeInput): Promise<FinalPdf> {
  const { meta } = input;
  const doc = input.document ?? (await loadPdf(input.pdf));
  checkFonts(doc);
  const { date } = input;
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  doc.setSubject(meta.subject ?? meta.title);
  // One string: pdf-lib would join with spaces, and keywords such as "Scaling Law" contain spaces.
  doc.setKeywords([meta.keywords.join(', ')]);
  doc.setCreator(`letterpress ${letterpressVersion}`);
  doc.setProducer(`letterpress ${letterpressVersion} (${input.browserVersion}; pdf-lib)`);
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  doc.setLanguage(meta.lang);
  const id = createHash('sha256').update(input.fingerprint).digest('hex').slice(0, 32).toUpperCase();
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  repairOutlineTitles(doc, input.headingTexts);
  normaliseStructureIds(doc);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  if (input.page.profile === 'print') makePressReady(doc, input.page.paper);
  return { pdf: await doc.save({ useObjectStreams: true, objectsPerTick: Infinity }), pages: doc.getPageCount() };
}

/**
 * Chromium builds the outline from the headings but sometimes doubles a
 * title (a heading pushed to the next page comes out as "II. 开源模型II. 开源模型").
 * Its items follow the headings one for one, in order, so each gets the
 * heading's own text; if the counts differ, Chromium's titles are kept.
 */
function repairOutlineTitles(doc: PDFDocument, titles: string[]): void {
  const items: PDFDict[] = [];
  const walk = (item: PDFDict | undefined): void => {
    for (let node = item; node; node = node.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      items.push(node);
      walk(node.lookupMaybe(PDFName.of('First'), PDFDict));
    }
  };
  walk(doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)?.lookupMaybe(PDFName.of('First'), PDFDict));
  if (items.length !== titles.length) return;
  items.forEach((item, i) => item.set(PDFName.of('Title'), PDFHexString.fromText(titles[i] ?? '')));
}
