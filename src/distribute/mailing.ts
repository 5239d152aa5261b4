import { open, type FileHandle } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { grayscale, PDFDocument, PDFHexString, PDFName, PDFRef, PDFStream, type PDFFont, type PDFObject, type PDFPage } from 'pdf-lib';
import { fillLabel } from '../config/house-style-schema.ts';
import { type Paper, type Profile, paperSizes } from '../config/page-setup.ts';
import { makePressReady } from '../postprocess/press-ready.ts';
import { csvText } from './csv.ts';
import type { MailingBlock, MailingPart } from './mailing-segment.ts';
import { name, pdfHeader, PdfWriter, referencesOf } from './pdf-objects.ts';
import type { PreparedLetter } from './prepared-letter.ts';
import type { Recipient } from './read-recipients.ts';
import { RecipientListError } from './recipient-list-error.ts';
import type { StampFont } from './stamp-font.ts';

const mm = 72 / 25.4;

/**
 * Substitutions off: Noto Sans SC's `locl` turns the digits after a hyphen
 * (`lp-003`) into glyphs no character maps to, and `liga` makes `fi` one
 * glyph; pdf-lib writes such glyphs with no width of their own and a wrong
 * Unicode value (`Springfield` extracted as `SpringYeld`). The font is
 * already the Simplified Chinese one, and an address is set letter by letter.
 */
const stampFeatures = { locl: false, liga: false, clig: false, calt: false, rlig: false, dlig: false };

/**
 * The address field of a DIN 676 Form B letter, which a DL window envelope
 * shows (C5 and C4 windows sit at the same place): 20 mm from the left edge,
 * 45 mm from the top, 85 × 45 mm. Its upper 17.7 mm are DIN 5008's remark
 * zone; the address goes in the lower 27.3 mm, the address zone, six lines,
 * set 5 mm in from the field's left edge.
 */
export const addressWindow = { left: 20 * mm, top: 45 * mm, width: 85 * mm, height: 45 * mm };
const addressZoneTop = addressWindow.top + 17.7 * mm;
const textLeft = addressWindow.left + 5 * mm;
const textWidth = addressWindow.width - 10 * mm;
const addressSize = 10;
const addressMinSize = 7;
const leading = 12;

/** Characters the address pages draw besides the names and addresses. */
export function addressPageCharacters(title: string): string {
  return `${title} ·0123456789/`;
}

/** Each copy's place in the job: its pages, first and last (1-based). */
export interface MailingEntry {
  recipient: Recipient;
  first: number;
  last: number;
}

/** Objects a copy's part may use (its pages, its stamp: font, content, a few spare). */
const blockSize = (letter: PreparedLetter): number => letter.pages.length + 24;

/**
 * `mailing.pdf` for the print shop, written as the copies come: every copy in
 * the list's order, each behind an address page (its verso blank), so that
 * each copy starts on a recto, and padded to an even count so duplex printing
 * never joins two copies. The letter's fonts and images are in the file once.
 */
export class MailingJob {
  private readonly writer: PdfWriter;
  private readonly kids: number[] = [];
  readonly entries: MailingEntry[] = [];
  private readonly addressPages: number[][];
  private readonly padding: (number | undefined)[];
  private readonly rootNumber: number;
  private readonly firstBlock: number;

  private constructor(
    private readonly file: FileHandle,
    private readonly letter: PreparedLetter,
    private readonly recipients: Recipient[],
    built: { writer: PdfWriter; addressPages: number[][]; padding: (number | undefined)[]; root: number; firstBlock: number },
  ) {
    this.writer = built.writer;
    this.addressPages = built.addressPages;
    this.padding = built.padding;
    this.rootNumber = built.root;
    this.firstBlock = built.firstBlock;
  }

  /** Starts the job at `path`: the letter's shared objects and every address page. */
  static async start(path: string, letter: PreparedLetter, recipients: Recipient[], setup: { paper: Paper; profile: Profile; title: string; copy: string; font: StampFont; list: string }): Promise<MailingJob> {
    const writer = new PdfWriter();
    writer.write(pdfHeader);
    // The letter's objects its pages draw with (not its catalogue, outline or structure tree, which name its own pages).
    const shared = referencesOf(letter.context, letter.pages.flatMap((p) => [p.dict.get(name('Resources')), p.dict.get(name('Contents'))].filter((o): o is PDFObject => o !== undefined)));
    const plain: [number, PDFObject][] = [];
    for (const number of [...shared].sort((a, b) => a - b)) {
      const object = letter.context.lookup(PDFRef.of(number));
      if (!object) continue;
      if (object instanceof PDFStream) writer.object(number, object);
      else plain.push([number, object]);
    }
    writer.object(letter.saveRef.objectNumber, Buffer.from('<< /Length 2 >>\nstream\nq\n\nendstream'));
    const root = writer.objectStreams(plain, letter.next);
    const { pages, objects } = await addressPages(letter, recipients, { ...setup, largest: root + 2 });
    // Per recipient: the address page, its verso, and the padding page when the copy's count is odd.
    const perCopy = letter.pages.length % 2 === 1 ? 3 : 2;
    const numbers = pages.map((page) => page.ref.objectNumber);
    const fronts = recipients.map((_, i) => numbers.slice(i * perCopy, i * perCopy + 2));
    const padding = recipients.map((_, i) => (perCopy === 3 ? numbers[i * perCopy + 2] : undefined));
    let next = root + 3;
    for (const page of pages) page.node.set(PDFName.of('Parent'), PDFRef.of(root));
    for (const [ref, object] of objects) {
      writer.object(ref.objectNumber, object);
      next = Math.max(next, ref.objectNumber + 1);
    }
    const file = await open(path, 'wx');
    const job = new MailingJob(file, letter, recipients, { writer, addressPages: fronts, padding, root, firstBlock: next });
    await job.flush();
    return job;
  }

  /** The numbers copy `index`'s part may use. */
  block(index: number): MailingBlock {
    const size = blockSize(this.letter);
    return { start: this.firstBlock + index * size, end: this.firstBlock + (index + 1) * size, parent: this.rootNumber };
  }

  /** Adds the next copy, in the list's order. */
  async add(part: MailingPart): Promise<void> {
    const index = this.entries.length;
    const recipient = this.recipients[index];
    if (!recipient) throw new Error('the mailing job has more copies than recipients');
    const start = this.writer.length;
    for (const [number, offset] of part.offsets) this.writer.entries.set(number, { type: 1, offset: start + offset });
    this.writer.write(Buffer.from(part.bytes.buffer, part.bytes.byteOffset, part.bytes.byteLength));
    const pad = this.padding[index];
    const pages = [...(this.addressPages[index] ?? []), ...part.pages, ...(pad === undefined ? [] : [pad])];
    this.entries.push({ recipient, first: this.kids.length + 1, last: this.kids.length + pages.length });
    this.kids.push(...pages);
    await this.flush();
  }

  /** The page tree, catalogue, Info and cross-reference stream; checks that the job's pages are the sum of its parts. */
  async finish(title: string): Promise<{ pages: number; csv: string }> {
    const parts = this.entries.reduce((sum, e) => sum + e.last - e.first + 1, 0);
    if (this.entries.length !== this.recipients.length || parts !== this.kids.length) throw new Error(`the mailing job has ${this.kids.length} pages, its parts ${parts}`);
    const root = this.rootNumber;
    this.writer.object(root, Buffer.from(`<< /Type /Pages /Count ${this.kids.length} /Kids [${this.kids.map((k) => `${k} 0 R`).join(' ')}] >>`));
    this.writer.object(root + 1, Buffer.from(`<< /Type /Catalog /Pages ${root} 0 R >>`));
    const info = this.letter.context.obj({ Title: PDFHexString.fromText(`${title} — mailing`), Creator: PDFHexString.fromText('letterpress') });
    this.writer.object(root + 2, info);
    const size = this.firstBlock + this.recipients.length * blockSize(this.letter);
    this.writer.finish(size, `/Root ${root + 1} 0 R /Info ${root + 2} 0 R`);
    await this.flush();
    await this.file.close();
    const rows = this.entries.map((e) => [e.recipient.id, e.recipient.name, String(e.first), String(e.last), String(e.last - e.first + 1)]);
    return { pages: this.kids.length, csv: csvText([['id', 'name', 'first_page', 'last_page', 'pages'], ...rows]) };
  }

  async close(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }

  private async flush(): Promise<void> {
    const chunks = this.writer.chunks.splice(0);
    if (chunks.length > 0) await this.file.writev(chunks);
  }
}

/**
 * Every address page and its blank verso (and, for a copy with an odd number
 * of pages, the blank that pads it), in one pdf-lib document numbered past
 * `largest`, so that they share the address font. In the print profile they
 * are press-ready as the copies are (bleed, crop marks).
 */
async function addressPages(
  letter: PreparedLetter,
  recipients: Recipient[],
  setup: { paper: Paper; profile: Profile; title: string; copy: string; font: StampFont; list: string; largest: number },
): Promise<{ pages: PDFPage[]; objects: [PDFRef, PDFObject][] }> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.context.largestObjectNumber = setup.largest;
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(setup.font.bytes, { subset: false, customName: setup.font.name, features: stampFeatures });
  const { width, height } = paperSizes[setup.paper];
  const pages: PDFPage[] = [];
  for (const recipient of recipients) {
    const page = doc.addPage([width, height]);
    drawAddress(page, font, recipient, height, setup.list);
    // Outside the window: which copy follows, for the people at the inserting machine.
    page.drawText(`${setup.title} · ${fillLabel(setup.copy, { id: recipient.id })}`, { x: addressWindow.left, y: 15 * mm, size: 6, font, color: grayscale(0.45) });
    pages.push(page, doc.addPage([width, height]));
    if (letter.pages.length % 2 === 1) pages.push(doc.addPage([width, height]));
  }
  if (setup.profile === 'print') makePressReady(doc, setup.paper);
  await font.embed();
  // The document's own catalogue and page tree (numbered before `largest`) are left out: the pages hang from the job's.
  return { pages, objects: doc.context.enumerateIndirectObjects().filter(([ref]) => ref.objectNumber > setup.largest) };
}

/** The name and address lines in the address zone, each shrunk to the zone's width if it must be; too long even then is the list's error. */
function drawAddress(page: PDFPage, font: PDFFont, recipient: Recipient, height: number, list: string): void {
  const lines = [recipient.name, ...(recipient.address ?? [])];
  lines.forEach((line, i) => {
    const size = Math.min(addressSize, (addressSize * textWidth) / font.widthOfTextAtSize(line, addressSize));
    if (size < addressMinSize) throw new RecipientListError(list, recipient.line, `address line \`${line}\` is too long for the envelope's window (${Math.round(textWidth / mm)} mm at ${addressMinSize} pt)`);
    const baseline = height - addressZoneTop - leading * (i + 1);
    page.drawText(line, { x: textLeft, y: baseline, size, font, color: grayscale(0) });
  });
}
