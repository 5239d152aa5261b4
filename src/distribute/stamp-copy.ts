import { createHash } from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
import { CustomFontEmbedder, PDFArray, PDFContext, PDFDict, PDFHexString, PDFRef, type PDFObject } from 'pdf-lib';
import { name, PdfWriter } from './pdf-objects.ts';
import type { PreparedLetter, StampBox } from './prepared-letter.ts';
import type { StampFont } from './stamp-font.ts';

export interface CopyRecipient {
  id: string;
  name: string;
}

/** The footer stamp. */
export function stampText(name: string): string {
  return `Prepared for ${name}`;
}

/** The line under it: the id, so that every copy differs to the eye even when two names look alike. */
export function copyLine(id: string): string {
  return `Copy ${id}`;
}

/** Every character a copy's stamp draws (the watermark is the name alone). */
export function stampCharacters(recipient: CopyRecipient): string {
  return stampText(recipient.name) + copyLine(recipient.id);
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

/**
 * Substitutions off: Noto Sans SC's `locl` turns the digits after a hyphen
 * (`lp-003`) into glyphs no character maps to, and `liga` makes `fi` one
 * glyph; pdf-lib writes such glyphs with no width of their own and a wrong
 * Unicode value (`Springfield` extracted as `SpringYeld`). The stamp's font is
 * already the Simplified Chinese one, and a name is set letter by letter.
 */
export const stampFeatures = { locl: false, liga: false, clig: false, calt: false, rlig: false, dlig: false };

const fontKey = 'LetterpressStamp';
const watermarkKey = 'LetterpressWatermark';

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
 * One LP's stamp over the printed letter: "Prepared for <name>" in every
 * page's footer with "Copy <id>" below it, the name as a faint diagonal
 * watermark, the id in the metadata. The letter's own content is untouched;
 * the stamps are marked as artifacts so screen readers of the tagged PDF skip
 * them. New objects are numbered from `start`.
 */
export async function copyObjects(letter: PreparedLetter, recipient: CopyRecipient, stampFont: StampFont, start: number): Promise<CopyObjects> {
  const context = PDFContext.create();
  context.largestObjectNumber = start - 1;
  // The font is already cut to this copy's characters; pdf-lib's own subsetting is not needed.
  const font = await CustomFontEmbedder.for(fontkit, stampFont.bytes, stampFont.name, stampFeatures);
  const streams = new Map<string, PDFRef>();
  const stampFor = (box: StampBox): PDFRef => {
    const key = JSON.stringify(box);
    let ref = streams.get(key);
    if (!ref) {
      ref = context.register(context.stream(stampOperators(font, box, recipient)));
      streams.set(key, ref);
    }
    return ref;
  };
  const pageStamps = letter.pages.map((page) => stampFor(page.box));
  // Embedded once every text is encoded: the font's ToUnicode map lists the glyphs used.
  const fontRef = await font.embedIntoContext(context);

  const pages = letter.pages.map((page, i): [PDFRef, PDFDict] => {
    const dict = page.dict.clone(context);
    const contents = page.dict.get(name('Contents'));
    const own = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    dict.set(name('Contents'), context.obj([letter.saveRef, ...own, pageStamps[i]!]));
    const resources = resolvedDict(letter.context, page.dict.get(name('Resources')))?.clone(context) ?? context.obj({});
    const fonts = resolvedDict(letter.context, resources.get(name('Font')))?.clone(context) ?? context.obj({});
    fonts.set(name(fontKey), fontRef);
    resources.set(name('Font'), fonts);
    const states = resolvedDict(letter.context, resources.get(name('ExtGState')))?.clone(context) ?? context.obj({});
    states.set(name(watermarkKey), letter.watermarkStateRef);
    resources.set(name('ExtGState'), states);
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

/** The stamp's content: it ends the `q` that was put before the page's own content, so it draws from the default state. */
function stampOperators(font: CustomFontEmbedder, box: StampBox, recipient: CopyRecipient): string {
  const text = (value: string, size: number, matrix: number[]): string =>
    `BT /${fontKey} ${n(size)} Tf ${matrix.map(n).join(' ')} Tm ${font.encodeText(value).toString()} Tj ET`;

  // The name across the page along its diagonal, centred; light enough to read the letter through.
  const angle = Math.atan2(box.height, box.width);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const size = Math.min(96, (0.5 * Math.hypot(box.width, box.height)) / font.widthOfTextAtSize(recipient.name, 1));
  const width = font.widthOfTextAtSize(recipient.name, size);
  const height = font.heightOfFontAtSize(size, { descender: false });
  // The origin is placed where the rotated text's centre lands on the page's centre.
  const x = box.x + box.width / 2 - (cos * width) / 2 + (sin * height) / 2;
  const y = box.y + box.height / 2 - (sin * width) / 2 - (cos * height) / 2;
  const watermark = `q /${watermarkKey} gs 0.5 g ${text(recipient.name, size, [cos, sin, -sin, cos, x, y])} Q`;

  // Right-aligned where the text column ends, shrunk if a long name would reach the page number.
  const right = box.x + box.width - box.rightMargin;
  const footer = stampText(recipient.name);
  const room = box.width / 2 - box.rightMargin - pageNumberClearance;
  const footerSize = Math.max(stampMinSize, Math.min(stampSize, (stampSize * room) / font.widthOfTextAtSize(footer, stampSize)));
  const line = copyLine(recipient.id);
  const lineSize = Math.max(stampMinSize, Math.min(copyLineSize, (copyLineSize * (box.width - 2 * box.rightMargin)) / font.widthOfTextAtSize(line, copyLineSize)));
  const stamp = [
    `q 0.36 g ${text(footer, footerSize, [1, 0, 0, 1, right - font.widthOfTextAtSize(footer, footerSize), box.y + footerBaseline])}`,
    `${text(line, lineSize, [1, 0, 0, 1, right - font.widthOfTextAtSize(line, lineSize), box.y + copyLineBaseline])} Q`,
  ].join('\n');
  return `Q\n/Artifact BMC\n${watermark}\n${stamp}\nEMC\n`;
}
