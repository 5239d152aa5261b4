import { PDFRef } from 'pdf-lib';
import { name, PdfWriter } from './pdf-objects.ts';
import type { PreparedLetter } from './prepared-letter.ts';
import { copyObjects, type CopyRecipient, type StampSetup } from './stamp-copy.ts';
import type { CopyFont, StampFace } from './stamp-font.ts';

/** The object numbers a copy's part of the mailing job may use, and the job's page tree. */
export interface MailingBlock {
  start: number;
  /** One past the last number of the block. */
  end: number;
  /** The job's page tree root, each page's parent. */
  parent: number;
}

/** A copy's objects in the mailing job, written from offset 0 (the job places them). */
export interface MailingPart {
  bytes: Uint8Array;
  /** Object numbers and their offsets in `bytes`. */
  offsets: [number, number][];
  /** The copy's page objects, in order. */
  pages: number[];
}

/**
 * One copy's pages for the mailing job: the same stamp as its own file, its
 * pages numbered in its block and hung from the job's page tree. The letter's
 * shared objects (fonts, images, content) are the job's once; links and the
 * structure tree's keys are left out (a print job has neither).
 */
export function mailingSegment(letter: PreparedLetter, recipient: CopyRecipient, stamp: { face: StampFace; font: CopyFont; setup: StampSetup }, block: MailingBlock): MailingPart {
  const copy = copyObjects(letter, recipient, stamp.face, stamp.font, stamp.setup, block.start + letter.pages.length);
  if (copy.next > block.end) throw new Error(`the mailing job's copy of ${recipient.id} needs ${copy.next - block.start} objects, more than its block of ${block.end - block.start}`);
  const writer = new PdfWriter();
  const pages = copy.pages.map(([, dict], i) => {
    const number = block.start + i;
    dict.set(name('Parent'), PDFRef.of(block.parent));
    for (const key of ['StructParents', 'Annots', 'B']) dict.delete(name(key));
    writer.object(number, dict);
    return number;
  });
  for (const [number, object] of copy.objects) writer.object(number, object);
  const offsets = [...writer.entries].map(([number, entry]): [number, number] => [number, entry.type === 1 ? entry.offset : 0]);
  return { bytes: Buffer.concat(writer.chunks), offsets, pages };
}
