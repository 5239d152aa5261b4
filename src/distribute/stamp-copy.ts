import { createHash } from 'node:crypto';
import { PDFArray, PDFContext, PDFDict, PDFHexString, PDFRef, type PDFObject } from 'pdf-lib';
import { fillLabel } from '../config/house-style-schema.ts';
import { embedStampFont, encodeStampText } from './embed-stamp-font.ts';
import { name, PdfWriter } from './pdf-objects.ts';
import type { PreparedLetter, StampBox } from './prepared-letter.ts';
import type { CopyFont, StampFace } from './stamp-font.ts';

export interface CopyRecipient {
  id: string;
  name: string;
}

/** Where the letterhead's recipient line leaves room for a copy's recipient: found on the printed page (recipient-slot.ts). */
export interface RecipientSlot {
  /** The page it is on (0: the first). */
  page: number;
  /** The baseline's start, in the page's coordinates. */
  x: number;
  y: number;
  /** The line's font size. */
  size: number;
  /** The line's fill colour (grey, RGB or CMYK components, as the page sets it). */
  color: number[];
}

/** What a copy prints beside the letter, the same for every copy of a distribution. */
export interface StampSetup {
  /** The house style's `preparedFor` label in the letter's language, with `{name}` (`谨呈 {name}`, `Prepared for {name}`). */
  preparedFor: string;
  /** The house style's `copy` label, with `{id}` (`副本 {id}`, `Copy {id}`). */
  copy: string;
  /** The letterhead's recipient line, printed empty in the shared letter: each copy writes its recipient there. */
  recipientSlot?: RecipientSlot;
}

/** The footer stamp: `谨呈 甲资本`. */
export function stampText(setup: StampSetup, name: string): string {
  return fillLabel(setup.preparedFor, { name });
}

/** The line under it: the id, so that every copy differs to the eye even when two names look alike. */
export function copyLine(setup: StampSetup, id: string): string {
  return fillLabel(setup.copy, { id });
}

/** Every character a copy's stamp draws (the watermark and the recipient line are the name alone). */
export function stampCharacters(setup: StampSetup, recipient: CopyRecipient): string {
  return stampText(setup, recipient.name) + copyLine(setup, recipient.id) + recipient.name;
}

/** The custom Info key that names the copy's recipient. */
export const recipientInfoKey = 'LetterpressRecipient';

/** The baseline of the centred `第 n 页 / 共 N 页` footer, which the stamp shares (measured: Chromium centres it in the 24 mm bottom margin). */
const footerBaseline = 30.4;
/** The id's line, below the page number's. */
const copyLineBaseline = 21;
/** Room kept free for the centred page number: half its widest form (`第 99 页 / 共 99 页` at 8 pt) plus a gap. */
const pageNumberClearance = 52;
const stampSize = 7.5;
const copyLineSize = 6;
const stampMinSize = 4;

const fontKey = 'LetterpressStamp';
/**
 * The watermark's grey: what 50 % grey at 17 % opacity gives on white paper.
 * It is opaque and drawn under the letter (so the text stays black over it):
 * no transparency, which PDF/X-3 forbids and Ghostscript would flatten by
 * rasterising the page.
 */
const watermarkGrey = 0.915;

/** A copy's own objects: its pages (with the stamp), its Info dictionary, its stamp font and content. */
export interface CopyObjects {
  /** The letter's page references and this copy's revision of each. */
  pages: [PDFRef, PDFDict][];
  info: PDFDict;
  /** New objects, numbered from the `start` given. */
  objects: [number, PDFObject][];
  /** One past the last number used. */
  next: number;
}

/**
 * One LP's stamp over the printed letter: `谨呈 <name>` (the house style's
 * label) in every page's footer with "Copy <id>" below it, the name as a
 * faint diagonal watermark and in the letterhead's recipient line, the id in
 * the metadata. The letter's own content is untouched; the footer and the
 * watermark are marked as artifacts so screen readers of the tagged PDF skip
 * them. New objects are numbered from `start`.
 */
export function copyObjects(letter: PreparedLetter, recipient: CopyRecipient, face: StampFace, font: CopyFont, setup: StampSetup, start: number): CopyObjects {
  const context = PDFContext.create();
  context.largestObjectNumber = start - 1;
  const draw: Draw = { face, text: (value) => encodeStampText(font, value).toString() };
  // Pages of one size share their stamp; the page with the recipient line has its own.
  const streams = new Map<string, [PDFRef, PDFRef]>();
  const pageStamps = letter.pages.map((page, i) => {
    const slot = setup.recipientSlot?.page === i ? setup.recipientSlot : undefined;
    const key = JSON.stringify([page.box, slot]);
    let refs = streams.get(key);
    if (!refs) {
      const { under, over } = stampOperators(draw, page.box, recipient, setup, slot);
      refs = [context.register(context.stream(under)), context.register(context.stream(over))];
      streams.set(key, refs);
    }
    return refs;
  });
  const fontRef = embedStampFont(context, face, font);

  const pages = letter.pages.map((page, i): [PDFRef, PDFDict] => {
    const dict = page.dict.clone(context);
    const contents = page.dict.get(name('Contents'));
    const own = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    const [under, over] = pageStamps[i]!;
    dict.set(name('Contents'), context.obj([under, letter.saveRef, ...own, over]));
    const resources = resolvedDict(letter.context, page.dict.get(name('Resources')))?.clone(context) ?? context.obj({});
    const fonts = resolvedDict(letter.context, resources.get(name('Font')))?.clone(context) ?? context.obj({});
    fonts.set(name(fontKey), fontRef);
    resources.set(name('Font'), fonts);
    dict.set(name('Resources'), resources);
    return [page.ref, dict];
  });

  const info = letter.info.clone(context);
  const subject = textOf(info.get(name('Subject'))) ?? textOf(info.get(name('Title'))) ?? '';
  info.set(name('Subject'), PDFHexString.fromText(`${subject} (prepared for ${recipient.id})`));
  info.set(name(recipientInfoKey), PDFHexString.fromText(recipient.id));
  const objects = context.enumerateIndirectObjects().map(([ref, object]): [number, PDFObject] => [ref.objectNumber, object]);
  return { pages, info, objects, next: context.largestObjectNumber + 1 };
}

/**
 * The copy's bytes after the letter's shared ones: its pages, Info and stamp,
 * and a cross-reference stream for the whole file (one revision). The trailer
 * ID's first half stays the letter's; the second names this copy (PDF 32000-1, 14.4).
 */
export function copyTail(letter: PreparedLetter, copy: CopyObjects, recipient: CopyRecipient): Buffer {
  const writer = new PdfWriter(letter.base.length, letter.entries);
  for (const [ref, dict] of copy.pages) writer.object(ref.objectNumber, dict);
  writer.object(letter.infoRef.objectNumber, copy.info);
  for (const [number, object] of copy.objects) writer.object(number, object);
  const permanent = letter.permanentId;
  const version = permanent && createHash('sha256').update(`${permanent.asString()}\0${recipient.id}`).digest('hex').slice(0, 32).toUpperCase();
  const id = permanent ? ` /ID [${permanent.toString()} <${version}>]` : '';
  writer.finish(copy.next, `/Root ${letter.rootRef.toString()} /Info ${letter.infoRef.toString()}${id}`);
  return Buffer.concat(writer.chunks);
}

function resolvedDict(context: PDFContext, value: PDFObject | undefined): PDFDict | undefined {
  const object = value instanceof PDFRef ? context.lookup(value) : value;
  return object instanceof PDFDict ? object : undefined;
}

function textOf(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFHexString || (value && 'decodeText' in value) ? (value as PDFHexString).decodeText() : undefined;
}

const n = (value: number): string => String(Math.round(value * 1000) / 1000);

/** How a copy's text is measured (the distribution's face) and drawn (its own font). */
interface Draw {
  face: StampFace;
  /** The text as a hex string of the copy's glyphs. */
  text(value: string): string;
}

/**
 * The stamp's content: `under` comes before the page's own content (the
 * watermark), `over` after it (the footer stamp and the recipient line); `over`
 * ends the `q` that was put before the page's own content, so it draws from the default state.
 */
function stampOperators(draw: Draw, box: StampBox, recipient: CopyRecipient, setup: StampSetup, slot: RecipientSlot | undefined): { under: string; over: string } {
  const { face } = draw;
  const text = (value: string, size: number, matrix: number[]): string => `BT /${fontKey} ${n(size)} Tf ${matrix.map(n).join(' ')} Tm ${draw.text(value)} Tj ET`;

  // The name across the page along its diagonal, centred, under the letter's text.
  const angle = Math.atan2(box.height, box.width);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const size = Math.min(96, (0.5 * Math.hypot(box.width, box.height)) / face.widthOf(recipient.name, 1));
  const width = face.widthOf(recipient.name, size);
  const height = face.ascentAt(size);
  // The origin is placed where the rotated text's centre lands on the page's centre.
  const x = box.x + box.width / 2 - (cos * width) / 2 + (sin * height) / 2;
  const y = box.y + box.height / 2 - (sin * width) / 2 - (cos * height) / 2;
  const watermark = `/Artifact BMC\nq ${n(watermarkGrey)} g ${text(recipient.name, size, [cos, sin, -sin, cos, x, y])} Q\nEMC\n`;

  // Right-aligned where the text column ends, shrunk if a long name would reach the page number.
  const right = box.x + box.width - box.rightMargin;
  const footer = stampText(setup, recipient.name);
  const room = box.width / 2 - box.rightMargin - pageNumberClearance;
  const footerSize = Math.max(stampMinSize, Math.min(stampSize, (stampSize * room) / face.widthOf(footer, stampSize)));
  const line = copyLine(setup, recipient.id);
  const lineSize = Math.max(stampMinSize, Math.min(copyLineSize, (copyLineSize * (box.width - 2 * box.rightMargin)) / face.widthOf(line, copyLineSize)));
  const stamp = [
    `q 0.36 g ${text(footer, footerSize, [1, 0, 0, 1, right - face.widthOf(footer, footerSize), box.y + footerBaseline])}`,
    `${text(line, lineSize, [1, 0, 0, 1, right - face.widthOf(line, lineSize), box.y + copyLineBaseline])} Q`,
  ].join('\n');
  // The recipient line is the letter's content, not an artifact: it reads `致 <name>` with the label the page prints.
  const to = slot ? `q ${fillColor(slot.color)} ${text(recipient.name, slot.size, [1, 0, 0, 1, slot.x, slot.y])} Q\n` : '';
  return { under: watermark, over: `Q\n${to}/Artifact BMC\n${stamp}\nEMC\n` };
}

/** The operator setting a fill colour of one, three or four components. */
function fillColor(color: number[]): string {
  const op = color.length === 4 ? 'k' : color.length === 3 ? 'rg' : 'g';
  return `${color.map(n).join(' ')} ${op}`;
}
