import { decodePDFRawStream, PDFDict, PDFName, PDFRawStream, type PDFDocument } from 'pdf-lib';
import { bundledPostScriptNames } from '../fonts/font-faces.ts';
import { LayoutError } from '../print/layout-error.ts';

/**
 * The last guard against a glyph from outside the bundled fonts: every font in
 * the PDF must be an embedded subset of a bundled face. Anything else (Chromium
 * falling back for a character the subsets lack, drawn as a Type 3 font that
 * printers reject) fails the build, naming the characters.
 */
export function checkFonts(doc: PDFDocument): void {
  const bundledNames = bundledPostScriptNames();
  const strays: string[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.lookupMaybe(PDFName.of('Type'), PDFName) !== PDFName.of('Font')) continue;
    const subtype = object.lookupMaybe(PDFName.of('Subtype'), PDFName)?.asString();
    if (subtype === '/CIDFontType2') continue; // described by its Type0 parent
    const base = object.lookupMaybe(PDFName.of('BaseFont'), PDFName)?.asString().replace(/^\/([A-Z]{6}\+)?/, '');
    if (subtype === '/Type0' && base && bundledNames.has(base)) continue;
    strays.push(`${base ?? subtype ?? 'unnamed font'} (${charactersOf(object) || 'unknown characters'})`);
  }
  if (strays.length > 0) throw new LayoutError(`the PDF uses fonts that letterpress does not bundle: ${strays.join('; ')}`);
}

/** The characters a font draws, from its ToUnicode map. */
function charactersOf(font: PDFDict): string {
  const map = font.lookup(PDFName.of('ToUnicode'));
  if (!(map instanceof PDFRawStream)) return '';
  const text = Buffer.from(decodePDFRawStream(map).decode()).toString('latin1');
  const chars = new Set<string>();
  for (const [, hex] of text.matchAll(/<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4,})>/g)) {
    chars.add(Buffer.from(hex ?? '', 'hex').swap16().toString('utf16le'));
  }
  return [...chars].join('');
}
