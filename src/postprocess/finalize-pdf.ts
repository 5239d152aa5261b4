import { createHash } from 'node:crypto';
import { PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, type PDFDocument, type PDFObject } from 'pdf-lib';
import type { FrontMatter } from '../config/front-matter-schema.ts';
import type { PageSetup } from '../config/page-setup.ts';
import type { HeadingEntry } from '../markdown/vfile-data.ts';
import { loadPdf } from '../pdf/load-pdf.ts';
import { letterpressVersion } from '../common/version.ts';
import { completeStructure } from './accessible-structure.ts';
import { checkFonts } from './check-fonts.ts';
import { applyPdfA, type AssociatedFile } from './pdfa.ts';
import { makePressReady } from './press-ready.ts';
import { setPaperSize } from './paper-boxes.ts';
import { normaliseStructureIds } from './structure-ids.ts';
import { tagSubsets } from './subset-tags.ts';

export interface FinalizeInput {
  pdf: Uint8Array;
  /** `pdf` already parsed (by the TOC pass), if it was. */
  document?: PDFDocument;
  meta: FrontMatter;
  /** The Markdown source and build options: the document ID is derived from them, not from the clock. */
  fingerprint: string;
  browserVersion: string;
  /** The letter's title and every heading in document order, as Chromium's outline holds them one for one. */
  outline: {
    title: string;
    headings: HeadingEntry[];
    /** Ids of the headings the bookmarks list: the TOC's entries. */
    keep: ReadonlySet<string>;
  };
  /** The `print` profile makes it press-ready: bleed, crop marks, page boxes. */
  page: PageSetup;
  /** The PDF's creation and modification date: the letter's own, or SOURCE_DATE_EPOCH's (never the clock). */
  date: Date;
  /** Make it PDF/A-3 carrying these files (the letter's source, images, build record). */
  pdfa?: AssociatedFile[];
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
  tagSubsets(doc);
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
  rebuildOutline(doc, input.outline);
  normaliseStructureIds(doc);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  if (input.page.profile === 'print') makePressReady(doc, input.page.paper);
  else setPaperSize(doc, input.page.paper);
  completeStructure(doc);
  if (input.pdfa) applyPdfA(doc, input.pdfa);
  return { pdf: await doc.save({ useObjectStreams: true, objectsPerTick: Infinity }), pages: doc.getPageCount() };
}

/**
 * Chromium builds the outline from every non-empty heading, at every level, and
 * sometimes doubles a title (a heading pushed to the next page comes out as
 * "II. 开源模型II. 开源模型"). Its items follow the title and the headings one for
 * one, in order: the outline is rebuilt from their destinations with the
 * headings' own texts, holding the title and, beneath it, exactly the TOC's
 * entries nested by level. If the counts differ, Chromium's outline is kept.
 */
function rebuildOutline(doc: PDFDocument, outline: FinalizeInput['outline']): void {
  const root = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  const items: PDFDict[] = [];
  const refs: PDFRef[] = [];
  const walk = (ref: PDFObject | undefined): void => {
    for (let at = ref; at instanceof PDFRef; ) {
      const node = doc.context.lookup(at, PDFDict);
      items.push(node);
      refs.push(at);
      walk(node.get(PDFName.of('First')));
      at = node.get(PDFName.of('Next'));
    }
  };
  walk(root?.get(PDFName.of('First')));
  // Chromium leaves empty headings out of its outline.
  const headings = outline.headings.filter((h) => h.text !== '');
  if (!root || items.length !== headings.length + 1) return;
  interface Node {
    title: string;
    dest: PDFObject | undefined;
    depth: number;
    children: Node[];
  }
  const top: Node = { title: outline.title, dest: items[0]?.get(PDFName.of('Dest')), depth: 1, children: [] };
  const open: Node[] = [top];
  headings.forEach((heading, i) => {
    if (!outline.keep.has(heading.id)) return;
    while (open.length > 1 && (open.at(-1)?.depth ?? 0) >= heading.depth) open.pop();
    const node: Node = { title: heading.text, dest: items[i + 1]?.get(PDFName.of('Dest')), depth: heading.depth, children: [] };
    open.at(-1)?.children.push(node);
    open.push(node);
  });
  // Returns the number of visible descendants (every level open), the /Count of the parent.
  const link = (parent: PDFRef, nodes: Node[]): { first?: PDFRef; last?: PDFRef; count: number } => {
    const refs = nodes.map(() => doc.context.nextRef());
    let count = nodes.length;
    nodes.forEach((node, i) => {
      const dict = doc.context.obj({ Title: PDFHexString.fromText(node.title), Parent: parent });
      if (node.dest) dict.set(PDFName.of('Dest'), node.dest);
      if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1]!);
      if (i < nodes.length - 1) dict.set(PDFName.of('Next'), refs[i + 1]!);
      const below = link(refs[i]!, node.children);
      if (below.first && below.last) {
        dict.set(PDFName.of('First'), below.first);
        dict.set(PDFName.of('Last'), below.last);
        dict.set(PDFName.of('Count'), PDFNumber.of(below.count));
      }
      count += below.count;
      doc.context.assign(refs[i]!, dict);
    });
    return { first: refs[0], last: refs.at(-1), count };
  };
  const rootRef = doc.context.getObjectRef(root);
  if (!rootRef) return;
  for (const ref of refs) doc.context.delete(ref);
  const all = link(rootRef, [top]);
  root.set(PDFName.of('First'), all.first!);
  root.set(PDFName.of('Last'), all.last!);
  root.set(PDFName.of('Count'), PDFNumber.of(all.count));
}
