import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  decodePDFRawStream,
  PDFArray,
  PDFBool,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  type PDFDocument,
  type PDFObject,
} from 'pdf-lib';
import { loadPdf } from '../pdf/load-pdf.ts';
import { xmpPacket } from './xmp.ts';
import { exitCodes, LetterpressError } from '../common/errors.ts';

/** A file carried inside the PDF as an associated file (ISO 19005-3 6.8, ISO 32000-2 14.13). */
export interface AssociatedFile {
  /** File name inside the PDF (`/UF`), e.g. `letter.md` or `images/chart.svg`. */
  name: string;
  data: Uint8Array;
  /** MIME type, the embedded file stream's `/Subtype`. */
  mime: string;
  /** `Source`: what the document was made from; `Data`: information about how. */
  relationship: 'Source' | 'Data';
  description: string;
}

/** A PDF that cannot be made PDF/A without changing what it shows or does. */
export class PdfaError extends LetterpressError {
  readonly exitCode = exitCodes.failed.code;
}

/**
 * The sRGB profile that pdfkit ships (sRGB_IEC61966_2_1.icc, ICC v2, 3 KB):
 * no bundled ICC file of our own. pdfkit does not export the path, so it is
 * found beside its entry point.
 */
function srgbProfile(): Uint8Array {
  const entry = createRequire(import.meta.url).resolve('pdfkit');
  return readFileSync(path.join(path.dirname(entry), 'data', 'sRGB_IEC61966_2_1.icc'));
}

/** PDF 1.7 standard structure types (ISO 32000-1 14.8.4): PDF/A level A needs every tag to be one or role-mapped to one (6.7.3.4). */
const standardTypes = new Set(
  'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form'.split(
    ' ',
  ),
);

const name = (n: string): PDFName => PDFName.of(n);

/** Bytes in, bytes out: the finished PDF made PDF/A-3 (see `applyPdfA`). */
export async function toPdfA(pdf: Uint8Array, files: AssociatedFile[]): Promise<Uint8Array> {
  const doc = await loadPdf(pdf);
  applyPdfA(doc, files);
  return doc.save({ useObjectStreams: true, objectsPerTick: Infinity });
}

/**
 * Makes a finished letterpress PDF (its Info dictionary, /ID and /Lang already
 * set) a PDF/A-3 file: XMP metadata mirroring the Info dictionary, an sRGB
 * output intent, printable annotations, and `files` embedded as associated
 * files. Conformance level A when the document is tagged with standard
 * structure types, Unicode maps on every font and a language; B otherwise.
 * Everything written is derived from the document, so the bytes stay reproducible.
 */
export function applyPdfA(doc: PDFDocument, files: AssociatedFile[]): 'A' | 'B' {
  if (doc.isEncrypted || doc.context.trailerInfo.Encrypt) throw new PdfaError('an encrypted PDF cannot be PDF/A (ISO 19005-3 6.1.3)');
  const id = fileId(doc);
  const date = doc.getCreationDate();
  if (!date) throw new PdfaError('the PDF has no /CreationDate: finalize it first');
  checkObjects(doc);
  const conformance = isTagged(doc) ? 'A' : 'B';
  const { catalog, context } = doc;

  const embedded = files.map((file) => embedFile(doc, file));
  catalog.set(name('AF'), context.obj(embedded.map((e) => e.ref)));
  const names = catalog.lookupMaybe(name('Names'), PDFDict) ?? context.obj({});
  const sorted = [...embedded].sort((a, b) => (a.file.name < b.file.name ? -1 : a.file.name > b.file.name ? 1 : 0));
  names.set(name('EmbeddedFiles'), context.obj({ Names: sorted.flatMap((e) => [PDFHexString.fromText(e.file.name), e.ref]) }));
  catalog.set(name('Names'), names);

  const profile = context.flateStream(srgbProfile(), { N: 3 });
  const intent = context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    RegistryName: PDFString.of('http://www.color.org'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: context.register(profile),
  });
  catalog.set(name('OutputIntents'), context.obj([intent]));

  const instance = createHash('sha256').update(id).update(conformance);
  for (const file of files) instance.update(file.name).update('\0').update(createHash('sha256').update(file.data).digest());
  const xmp = xmpPacket({
    title: doc.getTitle(),
    author: doc.getAuthor(),
    subject: doc.getSubject(),
    keywords: doc.getKeywords(),
    language: catalog.lookupMaybe(name('Lang'), PDFString, PDFHexString)?.decodeText(),
    creatorTool: doc.getCreator(),
    producer: doc.getProducer(),
    date,
    documentId: uuid(id),
    instanceId: uuid(instance.digest('hex')),
    part: 3,
    conformance,
  });
  // Unfiltered, so the metadata stays readable by tools that do not parse the PDF.
  const metadata = context.stream(Buffer.from(xmp, 'utf8'), { Type: 'Metadata', Subtype: 'XML' });
  catalog.set(name('Metadata'), context.register(metadata));
  return conformance;
}

/** The first /ID string as hex: every id the XMP carries derives from it (finalize-pdf derives it from the source). */
function fileId(doc: PDFDocument): string {
  const ids = doc.context.trailerInfo.ID;
  const first = ids instanceof PDFArray ? ids.get(0) : undefined;
  if (!(first instanceof PDFHexString || first instanceof PDFString)) throw new PdfaError('the PDF has no /ID (ISO 19005-3 6.1.3)');
  return Buffer.from(first.asBytes()).toString('hex');
}

function uuid(hex: string): string {
  const h = createHash('sha256').update(hex).digest('hex');
  return `uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function embedFile(doc: PDFDocument, file: AssociatedFile): { file: AssociatedFile; ref: PDFRef } {
  const { context } = doc;
  const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  const modDate = info.get(name('CreationDate'));
  const stream = context.flateStream(file.data, {
    Type: 'EmbeddedFile',
    Subtype: file.mime,
    Params: { Size: file.data.length, ModDate: modDate, CheckSum: PDFHexString.of(createHash('md5').update(file.data).digest('hex')) },
  });
  const streamRef = context.register(stream);
  const spec = context.obj({
    Type: 'Filespec',
    // /F must be a byte string; /UF carries the exact (Unicode) name.
    F: PDFString.of(file.name.replace(/[^\x20-\x7e]|[()\\]/g, '_')),
    UF: PDFHexString.fromText(file.name),
    Desc: PDFHexString.fromText(file.description),
    AFRelationship: file.relationship,
    EF: { F: streamRef, UF: streamRef },
  });
  return { file, ref: context.register(spec) };
}

/**
 * Walks every object once: fonts must be embedded (6.2.11.4), no external
 * streams (6.1.7.1) or PostScript/reference XObjects (6.2.9), no JavaScript or
 * forbidden actions (6.5, 6.6.1); annotations are made printable and visible
 * (6.3.2), image interpolation is turned off (6.2.8).
 */
function checkObjects(doc: PDFDocument): void {
  const { catalog } = doc;
  for (const key of ['AA', 'OpenAction']) if (catalog.has(name(key))) throw new PdfaError(`the catalog has /${key} (ISO 19005-3 6.5)`);
  if (catalog.lookupMaybe(name('Names'), PDFDict)?.has(name('JavaScript'))) throw new PdfaError('the PDF carries JavaScript (ISO 19005-3 6.5.1)');
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFDict ? object : object instanceof PDFStream ? object.dict : undefined;
    if (!dict) continue;
    const where = `object ${ref.objectNumber}`;
    const type = dict.get(name('Type'));
    const subtype = dict.get(name('Subtype'));
    if (dict.has(name('F')) && object instanceof PDFRawStream) throw new PdfaError(`${where} is a stream with external data (ISO 19005-3 6.1.7.1)`);
    if (dict.has(name('AA'))) throw new PdfaError(`${where} has additional actions /AA (ISO 19005-3 6.5.2)`);
    const action = dict.get(name('S'));
    if (action === name('JavaScript') || dict.has(name('JS'))) throw new PdfaError(`${where} is a JavaScript action (ISO 19005-3 6.5.1)`);
    if (type === name('Action') && action instanceof PDFName && ['Launch', 'Sound', 'Movie', 'ResetForm', 'ImportData', 'Hide', 'Rendition', 'Trans', 'SetOCGState', 'GoTo3DView'].includes(action.decodeText())) {
      throw new PdfaError(`${where} is a ${action.decodeText()} action (ISO 19005-3 6.5.1)`);
    }
    if (type === name('Font') && subtype !== name('Type0') && subtype !== name('Type3')) {
      const descriptor = dict.lookupMaybe(name('FontDescriptor'), PDFDict);
      if (!descriptor || !['FontFile', 'FontFile2', 'FontFile3'].some((k) => descriptor.has(name(k)))) {
        throw new PdfaError(`font ${dict.get(name('BaseFont'))?.toString() ?? where} is not embedded (ISO 19005-3 6.2.11.4.1)`);
      }
    }
    if (subtype === name('PS') || (subtype === name('Form') && dict.has(name('Ref')))) throw new PdfaError(`${where} is a PostScript or reference XObject (ISO 19005-3 6.2.9)`);
    if (subtype === name('Image') && dict.get(name('Interpolate')) === PDFBool.True) dict.set(name('Interpolate'), PDFBool.False);
  }
  for (const page of doc.getPages()) {
    for (const annotation of page.node.Annots()?.asArray() ?? []) {
      const dict = doc.context.lookup(annotation);
      if (dict instanceof PDFDict) printable(dict);
    }
  }
}

/** Annotation flags: Print set; Invisible, Hidden, NoView and ToggleNoView clear (6.3.2). */
function printable(annotation: PDFDict): void {
  const flags = annotation.lookupMaybe(name('F'), PDFNumber)?.asNumber() ?? 0;
  annotation.set(name('F'), PDFNumber.of((flags | 4) & ~(1 | 2 | 32 | 256)));
}

/** Level A needs the structure: Marked, a structure tree of standard (or role-mapped) types, a language, and a Unicode map for every font. */
function isTagged(doc: PDFDocument): boolean {
  const { catalog, context } = doc;
  const markInfo = catalog.lookupMaybe(name('MarkInfo'), PDFDict);
  const root = catalog.lookupMaybe(name('StructTreeRoot'), PDFDict);
  if (markInfo?.get(name('Marked')) !== PDFBool.True || !root || !catalog.has(name('Lang'))) return false;
  const roleMap = root.lookupMaybe(name('RoleMap'), PDFDict);
  const standard = (type: PDFObject | undefined): boolean => {
    if (!(type instanceof PDFName)) return false;
    return standardTypes.has(type.decodeText()) || standardTypes.has((roleMap?.get(type) as PDFName | undefined)?.decodeText() ?? '');
  };
  for (const [, object] of context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict)) continue;
    const type = object.get(name('Type'));
    if (type === name('StructElem') && !standard(object.get(name('S')))) return false;
    if (type === name('Font') && object.get(name('Subtype')) !== name('CIDFontType2') && object.get(name('Subtype')) !== name('CIDFontType0') && !object.has(name('ToUnicode'))) return false;
  }
  return true;
}

/**
 * What a PDF says of its PDF/A conformance: the part and level its XMP
 * metadata declares (`pdfaid:part`, `pdfaid:conformance`) when it also has
 * the sRGB output intent PDF/A needs; undefined for any other PDF. A
 * declaration, as applyPdfA writes it, not a full validation (veraPDF's job).
 */
export async function pdfaIdentification(pdf: Uint8Array): Promise<{ part: number; conformance: string } | undefined> {
  let doc: PDFDocument;
  try {
    doc = await loadPdf(pdf);
  } catch {
    return undefined;
  }
  const intents = doc.catalog.lookupMaybe(name('OutputIntents'), PDFArray)?.asArray() ?? [];
  if (!intents.some((intent) => doc.context.lookupMaybe(intent, PDFDict)?.get(name('S')) === name('GTS_PDFA1'))) return undefined;
  const metadata = doc.catalog.lookupMaybe(name('Metadata'), PDFStream);
  if (!(metadata instanceof PDFRawStream)) return undefined;
  const xmp = Buffer.from(decodePDFRawStream(metadata).decode()).toString('utf8');
  const part = /pdfaid:part(?:>|=")(\d)/.exec(xmp)?.[1];
  const conformance = /pdfaid:conformance(?:>|=")([ABU])/.exec(xmp)?.[1];
  return part && conformance ? { part: Number(part), conformance } : undefined;
}
