import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFName, PDFRawStream, type PDFDocument } from 'pdf-lib';

/**
 * Six capital letters from a digest (ISO 32000-1 9.6.4: a subset's tag is
 * six uppercase letters): the same subset always gets the same tag, two
 * different subsets almost never do.
 */
export function subsetTag(digest: Uint8Array): string {
  return Array.from(digest.subarray(0, 6), (byte) => String.fromCharCode(65 + (byte % 26))).join('');
}

/**
 * Chromium tags every letter's font subsets AAAAAA+, BAAAAA+, … in the order
 * it meets them: different subsets of a face share a name from one letter to
 * the next, which print shops merging files and some RIPs confuse. Each
 * embedded subset is tagged from its own bytes (the font program and its
 * name) instead, in the Type0 font, its CIDFont and its descriptor.
 */
export function tagSubsets(doc: PDFDocument): void {
  for (const [, font] of doc.context.enumerateIndirectObjects()) {
    if (!(font instanceof PDFDict) || font.lookupMaybe(PDFName.of('Subtype'), PDFName) !== PDFName.of('Type0')) continue;
    const cidFont = font.lookupMaybe(PDFName.of('DescendantFonts'), PDFArray)?.lookupMaybe(0, PDFDict);
    const descriptor = cidFont?.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict);
    const program = descriptor?.lookup(PDFName.of('FontFile2'));
    const base = font.lookupMaybe(PDFName.of('BaseFont'), PDFName)?.decodeText();
    if (!cidFont || !descriptor || !(program instanceof PDFRawStream) || !base) continue;
    const name = base.replace(/^[A-Z]{6}\+/, '');
    const tag = subsetTag(createHash('sha256').update(name).update(program.getContents()).digest());
    const tagged = PDFName.of(`${tag}+${name}`);
    font.set(PDFName.of('BaseFont'), tagged);
    cidFont.set(PDFName.of('BaseFont'), tagged);
    descriptor.set(PDFName.of('FontName'), tagged);
  }
}
