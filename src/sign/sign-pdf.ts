import { createHash, X509Certificate } from 'node:crypto';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFContext, type PDFObject } from 'pdf-lib';
import { loadPdf } from '../pdf/load-pdf.ts';
import { cadesDetached, signatureValueOf, withSignatureTimestamp } from './cms.ts';
import { latin1, readTrailer } from './pdf-revisions.ts';
import type { SigningKey } from './signing-key.ts';
import { exitCodes, LetterpressError } from '../common/errors.ts';

/** A PDF letterpress cannot sign as asked: exit code 1. */
export class SignatureError extends LetterpressError {
  readonly exitCode = exitCodes.failed.code;
}

export interface SignOptions {
  key: SigningKey;
  /** The signer's name (/Name); default: the certificate's common name. */
  name?: string;
  reason?: string;
  location?: string;
  /** The claimed signing time (/M). It lies outside the reproducible bytes, so the clock is fine. */
  time: Date;
  /**
   * Fetches an RFC 3161 time-stamp token over the signature value (PAdES
   * B-T); the caller decides where it comes from (the only network a
   * command may use is a URL its user named).
   */
  timestamp?: (signatureValue: Buffer) => Promise<Buffer>;
}

/** Room for the CMS in /Contents: an RSA-4096 signature with a chain of a few certificates fits. */
const contentsBytes = 16 * 1024;
const name = (n: string): PDFName => PDFName.of(n);

/**
 * Signs a PDF with a PAdES baseline B-B signature (ETSI.CAdES.detached,
 * SHA-256) written as an incremental update: the signed file begins with
 * exactly the given bytes, followed by a new revision of the catalog (with an
 * AcroForm holding the signature field) and of the first page (with the
 * field's invisible widget, printable as PDF/A asks), the signature dictionary
 * (in a tagged PDF, the field's Form element and the updated structure tree)
 * and a cross-reference stream pointing back to the original one. Everything
 * else, XMP metadata and output intent included, stays as it was.
 */
export async function signPdf(pdf: Uint8Array, options: SignOptions): Promise<Uint8Array> {
  let trailer;
  try {
    trailer = readTrailer(pdf);
  } catch (error) {
    throw new SignatureError(`cannot sign: ${(error as Error).message}`);
  }
  if (trailer.encrypted) throw new SignatureError('cannot sign an encrypted PDF: sign it before encrypting');
  const doc = await loadPdf(pdf);
  const context = doc.context;
  const rootRef = parseRef(trailer.root);
  const catalog = context.lookup(rootRef, PDFDict).clone(context);
  const pageRef = firstPage(context, catalog);
  const page = context.lookup(pageRef, PDFDict).clone(context);

  const next = trailer.size;
  const sigRef = PDFRef.of(next);
  const widgetRef = PDFRef.of(next + 1);
  const appearanceRef = PDFRef.of(next + 2);
  const formRef = PDFRef.of(next + 3);
  const xrefNumber = next + 4;

  const form = catalog.lookupMaybe(name('AcroForm'), PDFDict);
  const fields = form?.lookupMaybe(name('Fields'), PDFArray)?.asArray() ?? [];
  const newForm = form ? form.clone(context) : context.obj({});
  newForm.set(name('Fields'), context.obj([...fields, widgetRef]));
  // SignaturesExist | AppendOnly: viewers must save further changes as updates.
  newForm.set(name('SigFlags'), context.obj(3));
  newForm.delete(name('NeedAppearances'));
  catalog.set(name('AcroForm'), newForm);
  // The first signature certifies the letter (DocMDP P=2: only form filling and further signatures allowed); later ones approve it.
  const certifying = fields.length === 0 && !catalog.has(name('Perms'));
  if (certifying) catalog.set(name('Perms'), context.obj({ DocMDP: sigRef }));
  page.set(name('Annots'), context.obj([...(page.lookupMaybe(name('Annots'), PDFArray)?.asArray() ?? []), widgetRef]));
  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: PDFString.of(`Signature${fields.length + 1}`),
    V: sigRef,
    Rect: [0, 0, 0, 0],
    // Print | Locked (PDF/A 6.3.2: printable, not hidden).
    F: 132,
    P: pageRef,
    AP: { N: appearanceRef },
  });

  const tagged = tagWidget(context, catalog, widget, widgetRef, pageRef, formRef);

  const signer = options.name ?? commonName(new X509Certificate(options.key.certificate));
  const text = (value: string): string => PDFHexString.fromText(value).toString();
  const byteRangeWidth = 40;
  const sigDict =
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [${' '.repeat(byteRangeWidth)}] ` +
    `/Contents <${'0'.repeat(contentsBytes * 2)}>${certifying ? ' /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 2 /V /1.2 >> >>]' : ''} /M ${PDFString.fromDate(options.time).toString()} /Name ${text(signer)}` +
    `${options.reason ? ` /Reason ${text(options.reason)}` : ''}${options.location ? ` /Location ${text(options.location)}` : ''} >>`;

  const chunks: Buffer[] = [Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength)];
  let length = pdf.length;
  if (pdf[pdf.length - 1] !== 0x0a) {
    chunks.push(Buffer.from('\n'));
    length++;
  }
  const offsets = new Map<number, number>();
  const write = (data: Buffer): void => {
    chunks.push(data);
    length += data.length;
  };
  const writeObject = (number: number, body: Buffer): void => {
    offsets.set(number, length);
    write(Buffer.concat([Buffer.from(`${number} 0 obj\n`), body, Buffer.from('\nendobj\n')]));
  };
  writeObject(rootRef.objectNumber, serialize(catalog));
  writeObject(pageRef.objectNumber, serialize(page));
  writeObject(widgetRef.objectNumber, serialize(widget));
  writeObject(appearanceRef.objectNumber, Buffer.from('<< /Type /XObject /Subtype /Form /BBox [0 0 0 0] /Length 0 >>\nstream\n\nendstream'));
  for (const [ref, object] of tagged) writeObject(ref.objectNumber, serialize(object));
  const sigOffset = length;
  writeObject(sigRef.objectNumber, Buffer.from(sigDict, 'latin1'));

  // The cross-reference stream of the update: W [1 4 2], one row per new object, unfiltered.
  const xrefOffset = length;
  offsets.set(xrefNumber, xrefOffset);
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  const rows = Buffer.alloc(numbers.length * 7);
  numbers.forEach((n, i) => {
    rows.writeUInt8(1, i * 7);
    rows.writeUInt32BE(offsets.get(n) ?? 0, i * 7 + 1);
  });
  const trailerKeys = `/Root ${trailer.root}${trailer.info ? ` /Info ${trailer.info}` : ''}${trailer.id ? ` /ID ${trailer.id}` : ''}`;
  writeObject(
    xrefNumber,
    Buffer.concat([
      Buffer.from(`<< /Type /XRef /Size ${xrefNumber + 1} ${trailerKeys} /Prev ${trailer.startxref} /W [1 4 2] /Index [${numbers.map((n) => `${n} 1`).join(' ')}] /Length ${rows.length} >>\nstream\n`),
      rows,
      Buffer.from('\nendstream'),
    ]),
  );
  write(Buffer.from(`startxref\n${xrefOffset}\n%%EOF\n`));

  const signed = Buffer.concat(chunks);
  const sigText = latin1(signed.subarray(sigOffset, sigOffset + sigDict.length + 64));
  const rangeAt = sigOffset + sigText.indexOf('/ByteRange [') + '/ByteRange ['.length;
  const contentsStart = sigOffset + sigText.indexOf('/Contents <') + '/Contents '.length;
  const contentsEnd = contentsStart + contentsBytes * 2 + 2;
  const range = `0 ${contentsStart} ${contentsEnd} ${signed.length - contentsEnd}`.padEnd(byteRangeWidth);
  signed.write(range, rangeAt, 'latin1');
  const digest = createHash('sha256').update(signed.subarray(0, contentsStart)).update(signed.subarray(contentsEnd)).digest();
  let cms = cadesDetached(digest, options.key.key, options.key.certificate, options.key.chain);
  if (options.timestamp) cms = withSignatureTimestamp(cms, await options.timestamp(signatureValueOf(cms)));
  if (cms.length > contentsBytes) throw new SignatureError(`the signature (${cms.length} bytes) does not fit the ${contentsBytes} bytes reserved: use a key with a shorter certificate chain`);
  signed.write(cms.toString('hex').toUpperCase(), contentsStart + 1, 'latin1');
  return signed;
}

/**
 * In a tagged PDF the field joins the structure tree (PDF/UA-1 7.18.4): a
 * Form element holding the widget, under the document element, reached from
 * the widget through the parent tree. Returns the new revisions to write.
 */
function tagWidget(context: PDFContext, catalog: PDFDict, widget: PDFDict, widgetRef: PDFRef, pageRef: PDFRef, formRef: PDFRef): [PDFRef, PDFObject][] {
  const rootRef = catalog.get(name('StructTreeRoot'));
  if (!(rootRef instanceof PDFRef)) return [];
  const root = context.lookup(rootRef, PDFDict).clone(context);
  const treeRef = root.get(name('ParentTree'));
  const key = root.lookupMaybe(name('ParentTreeNextKey'), PDFNumber)?.asNumber();
  const tree = treeRef instanceof PDFRef ? context.lookup(treeRef) : undefined;
  const nums = tree instanceof PDFDict ? tree.lookupMaybe(name('Nums'), PDFArray) : undefined;
  // Only the flat parent tree Chromium writes; a tree with /Kids is left untouched.
  if (!(treeRef instanceof PDFRef) || !(tree instanceof PDFDict) || !nums || key === undefined) return [];
  const kids = root.get(name('K'));
  const parentRef = kids instanceof PDFRef && context.lookup(kids) instanceof PDFDict ? kids : rootRef;
  const parent = parentRef === rootRef ? root : context.lookup(parentRef, PDFDict).clone(context);
  const parentKids = parent.get(name('K'));
  parent.set(name('K'), context.obj([...(parentKids instanceof PDFArray ? parentKids.asArray() : parentKids ? [parentKids] : []), formRef]));
  const form = context.obj({ Type: 'StructElem', S: 'Form', P: parentRef, Pg: pageRef, K: { Type: 'OBJR', Obj: widgetRef, Pg: pageRef } });
  const newTree = tree.clone(context);
  newTree.set(name('Nums'), context.obj([...nums.asArray(), context.obj(key), formRef]));
  root.set(name('ParentTreeNextKey'), context.obj(key + 1));
  widget.set(name('StructParent'), context.obj(key));
  const revisions: [PDFRef, PDFObject][] = [
    [rootRef, root],
    [treeRef, newTree],
    [formRef, form],
  ];
  if (parentRef !== rootRef) revisions.push([parentRef, parent]);
  return revisions;
}

function parseRef(text: string): PDFRef {
  const [n, g] = text.split(/\s+/).map(Number);
  return PDFRef.of(n ?? 0, g ?? 0);
}

/** The first page's reference, down the page tree. */
function firstPage(context: PDFContext, catalog: PDFDict): PDFRef {
  let node: PDFObject | undefined = catalog.get(name('Pages'));
  for (let depth = 0; depth < 64 && node instanceof PDFRef; depth++) {
    const dict = context.lookup(node, PDFDict);
    if (dict.get(name('Type')) === name('Page')) return node;
    node = dict.lookupMaybe(name('Kids'), PDFArray)?.get(0);
  }
  throw new SignatureError('the PDF has no pages to attach the signature field to');
}

function serialize(object: PDFObject): Buffer {
  const buffer = Buffer.alloc(object.sizeInBytes());
  object.copyBytesInto(buffer, 0);
  return buffer;
}

export function commonName(certificate: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(certificate.subject)?.[1] ?? certificate.subject.replace(/\n/g, ', ');
}
