import { PDFArray, PDFDict, PDFHexString, PDFRef, PDFStream, type PDFContext, type PDFObject, type PDFPage } from 'pdf-lib';
import type { Profile } from '../config/page-setup.ts';
import { loadPdf } from '../pdf/load-pdf.ts';
import { pdfHeader, PdfWriter, type XrefEntry } from './pdf-objects.ts';

const mm = 72 / 25.4;

/** Where a page's stamp goes: its finished page (TrimBox), and the margin the text column ends at. */
export interface StampBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The right margin of this page (mirrored in the print profile). */
  rightMargin: number;
}

export interface LetterPage {
  ref: PDFRef;
  dict: PDFDict;
  box: StampBox;
}

/**
 * The printed letter written once, for every copy: all its objects but those a
 * copy changes (the pages, which gain the stamp, and the Info dictionary,
 * which names the recipient). A copy is `base` followed by its own objects and
 * a cross-reference stream for the whole file (see stamp-copy.ts): one
 * revision, so no copy holds an unstamped letter a reader could cut it back to.
 */
export interface PreparedLetter {
  context: PDFContext;
  /** The header and the shared objects: the first bytes of every copy. */
  base: Buffer;
  /** Where the shared objects are in `base`. */
  entries: ReadonlyMap<number, XrefEntry>;
  pages: LetterPage[];
  rootRef: PDFRef;
  infoRef: PDFRef;
  info: PDFDict;
  /** The trailer ID's first half: the letter's, kept by every copy. */
  permanentId?: PDFHexString;
  /** A stream holding `q`, put before each page's own content so the stamp starts from the default graphics state. */
  saveRef: PDFRef;
  /** The first object number a copy may use for its own objects. */
  next: number;
}

/** The text column's right margin (styles/letter.css; in print, mirrored: src/html/page-css.ts), for page `index` (0 for the first, a recto). */
function rightMargin(profile: Profile, index: number, landscape: boolean): number {
  if (profile === 'print' && !landscape) return (index % 2 === 0 ? 19 : 26) * mm;
  return 22 * mm;
}

/** Parses the letter once and writes what every copy shares. */
export async function prepareLetter(letterPdf: Uint8Array, profile: Profile): Promise<PreparedLetter> {
  const doc = await loadPdf(letterPdf);
  const context = doc.context;
  const infoRef = context.trailerInfo.Info;
  const rootRef = context.trailerInfo.Root;
  if (!(infoRef instanceof PDFRef) || !(rootRef instanceof PDFRef)) throw new Error('the letter has no Info dictionary or catalogue');
  const pages = doc.getPages().map((page, index) => letterPage(page, profile, index));
  const ownCopy = new Set([infoRef.objectNumber, ...pages.map((p) => p.ref.objectNumber)]);

  let next = context.largestObjectNumber + 1;
  const saveRef = PDFRef.of(next++);
  const writer = new PdfWriter();
  writer.write(pdfHeader);
  const plain: [number, PDFObject][] = [];
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (ownCopy.has(ref.objectNumber)) continue;
    // Streams stay objects of their own; generation numbers other than 0 cannot go into an object stream.
    if (object instanceof PDFStream || ref.generationNumber !== 0) writer.object(ref.objectNumber, object);
    else plain.push([ref.objectNumber, object]);
  }
  writer.object(saveRef.objectNumber, Buffer.from('<< /Length 2 >>\nstream\nq\n\nendstream'));
  plain.sort(([a], [b]) => a - b);
  next = writer.objectStreams(plain, next);

  const id = context.trailerInfo.ID;
  return {
    context,
    base: Buffer.concat(writer.chunks),
    entries: writer.entries,
    pages,
    rootRef,
    infoRef,
    info: context.lookup(infoRef, PDFDict),
    permanentId: id instanceof PDFArray ? id.lookup(0, PDFHexString) : undefined,
    saveRef,
    next,
  };
}

function letterPage(page: PDFPage, profile: Profile, index: number): LetterPage {
  const trim = page.getTrimBox();
  return {
    ref: page.ref,
    dict: page.node,
    box: { x: trim.x, y: trim.y, width: trim.width, height: trim.height, rightMargin: rightMargin(profile, index, trim.width > trim.height) },
  };
}
