import { createHash, type X509Certificate } from 'node:crypto';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { checkCades } from './cms.ts';
import { PdfRevisions, PdfStructureError } from './pdf-objects.ts';
import { signedChanges } from './signed-changes.ts';
import { commonName } from './sign-pdf.ts';

export interface SignatureReport {
  /** The signature field's name (/T). */
  field?: string;
  /** The signer's name from the certificate the signature carries (its common name). */
  signer?: string;
  /** Subject and issuer of that certificate, as `verify` reports them. */
  subject?: string;
  issuer?: string;
  /** SHA-256 of the signer's certificate (DER), as colon-separated hex: what tells one key from another with the same name. */
  fingerprint?: string;
  /** The signer's certificate and the others the signature carries (DER), the signer's first. */
  certificates: Buffer[];
  selfSigned: boolean;
  /** The claimed signing time (/M), reason and location, as written. */
  time?: string;
  reason?: string;
  location?: string;
  subFilter?: string;
  /** A certification signature's DocMDP permission level (1, 2 or 3); undefined for an approval signature. */
  certification?: number;
  /** Length of the revision that was signed: the file as it was when this signature was made. */
  signedRevision: number;
  /** The signature's own bytes are intact: the byte range, the hash and the CMS signature all check. */
  intact: boolean;
  /** What later revisions changed beyond adding signatures; empty when nothing did. */
  modifications: string[];
  /** Pages whose content or presence changed after this signature (1-based). */
  modifiedPages: number[];
  /** The signer's signature value and time-stamp token, for the time-stamp check. */
  signatureValue?: Buffer;
  timestampToken?: Buffer;
  /** Intact and not modified after signing. */
  valid: boolean;
  problems: string[];
}

const name = (n: string): PDFName => PDFName.of(n);

/** A PDF string or name as text. */
function text(object: PDFObject | undefined): string | undefined {
  if (object instanceof PDFString || object instanceof PDFHexString) return object.decodeText();
  if (object instanceof PDFName) return object.decodeText();
  return undefined;
}

/**
 * The signature fields: terminal fields with /FT /Sig, down the AcroForm's
 * /Fields and /Kids, in every revision's catalog, so a later revision that
 * drops a field from the form cannot make its signature disappear.
 */
function signatureFields(doc: PdfRevisions): { field: PDFDict; value: PDFObject | undefined }[] {
  const found = new Map<string, { field: PDFDict; value: PDFObject | undefined }>();
  for (let at = doc.last; at >= 0; at--) {
    const seen = new Set<number>();
    const walk = (node: PDFObject | undefined, inherited: PDFObject | undefined, depth: number): void => {
      if (depth > 32) return;
      if (node instanceof PDFRef) {
        if (seen.has(node.objectNumber)) return;
        seen.add(node.objectNumber);
      }
      const field = doc.dict(node, at);
      if (!field) return;
      const type = field.get(name('FT')) ?? inherited;
      const kids = doc.resolve(field.get(name('Kids')), at);
      const childFields = kids instanceof PDFArray ? kids.asArray().filter((kid) => doc.dict(kid, at)?.has(name('T')) || doc.dict(kid, at)?.has(name('FT'))) : [];
      if (childFields.length > 0) {
        for (const kid of childFields) walk(kid, type, depth + 1);
        return;
      }
      const value = field.get(name('V'));
      const key = value instanceof PDFRef ? `ref ${value.objectNumber}` : `field ${node instanceof PDFRef ? node.objectNumber : found.size}`;
      // Fields in the order the newest form lists them: the order they were signed in.
      // An empty signature field (no /V) waits for a signer: it is not a signature.
      if (type === name('Sig') && value && !found.has(key)) found.set(key, { field, value });
    };
    const form = doc.dict(doc.catalog(at)?.get(name('AcroForm')), at);
    const fields = doc.resolve(form?.get(name('Fields')), at);
    for (const field of fields instanceof PDFArray ? fields.asArray() : []) walk(field, undefined, 0);
  }
  return [...found.values()];
}

/**
 * Checks each signature of a PDF. A signature counts only when the document
 * says it is one: a signature field reached from the AcroForm, whose value
 * is a signature dictionary. For each: its byte range covers the whole of
 * the revision it was made in except its own /Contents (which lies inside
 * the signature dictionary), the covered bytes hash to what was signed and
 * the CMS signature verifies with the certificate it carries, and every
 * later revision only adds signatures (see signed-changes.ts). Whether the
 * certificate is trusted is for the caller to decide, with a trust list.
 */
export function verifySignatures(pdf: Uint8Array): SignatureReport[] {
  let doc: PdfRevisions;
  try {
    doc = new PdfRevisions(pdf);
  } catch (error) {
    if (error instanceof PdfStructureError) return [brokenFile(error.message)];
    throw error;
  }
  const changesAfter = new Map<number, ReturnType<typeof signedChanges>>();
  return signatureFields(doc).map(({ field, value }) => {
    const problems: string[] = [];
    const report: SignatureReport = { field: text(field.get(name('T'))), certificates: [], selfSigned: false, signedRevision: 0, intact: false, modifications: [], modifiedPages: [], valid: false, problems };
    const sig = doc.dict(value, doc.last);
    if (!(value instanceof PDFRef) || !sig) {
      problems.push('the signature field has no signature dictionary of its own');
      return report;
    }
    report.time = text(sig.get(name('M')));
    report.reason = text(sig.get(name('Reason')));
    report.location = text(sig.get(name('Location')));
    report.subFilter = text(sig.get(name('SubFilter')));
    report.certification = docMdpLevel(doc, sig);

    const range = doc.resolve(sig.get(name('ByteRange')), doc.last);
    const numbers = range instanceof PDFArray ? range.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : Number.NaN)) : [];
    const [a = -1, b = -1, c = -1, d = -1] = numbers;
    const span = doc.span(value.objectNumber, doc.last);
    const contents = sig.get(name('Contents'));
    if (numbers.length !== 4 || numbers.some((n) => !Number.isSafeInteger(n) || n < 0)) {
      problems.push('the signature’s /ByteRange is not four non-negative whole numbers');
      return report;
    }
    if (!span) {
      problems.push('the signature dictionary is not written in the open (it is in an object stream), so its byte range cannot be checked');
      return report;
    }
    const gap = Buffer.from(pdf.subarray(b, Math.max(b, c))).toString('latin1');
    // The hole the byte range leaves must be exactly this dictionary's /Contents string.
    if (a !== 0 || c <= b || b <= span.start || c >= span.end || !/^<[0-9A-Fa-f]*>$/.test(gap) || !(contents instanceof PDFHexString) || gap.slice(1, -1).toUpperCase() !== contents.asString().toUpperCase()) {
      problems.push(`the byte range [${a} ${b} ${c} ${d}] does not leave out exactly this signature’s /Contents`);
      return report;
    }
    const end = c + d;
    const signed = doc.revisionEndingAt(end);
    if (end > pdf.length || signed === undefined) {
      problems.push(end > pdf.length ? `the byte range runs ${end - pdf.length} bytes past the end of the file (a truncated file?)` : 'the byte range does not end where a revision of the file ends');
      return report;
    }
    if (span.end > end) {
      problems.push('the signature dictionary lies outside the bytes it signs');
      return report;
    }
    report.signedRevision = end;
    const check = checkCades(Buffer.from(contents.asBytes()), (algorithm) => createHash(algorithm).update(pdf.subarray(0, b)).update(pdf.subarray(c, end)).digest());
    if (check.problem) problems.push(check.problem);
    report.intact = check.intact;
    report.certificates = check.certificates;
    report.signatureValue = check.signatureValue;
    report.timestampToken = check.timestampToken;
    if (check.signer) describeSigner(report, check.signer);

    let changes = changesAfter.get(signed);
    if (!changes) changesAfter.set(signed, (changes = signedChanges(doc, signed)));
    report.modifications = changes.changes;
    report.modifiedPages = changes.pages;
    if (changes.changes.length > 0) {
      const pages = changes.pages.length > 0 ? ` (page${changes.pages.length > 1 ? 's' : ''} ${changes.pages.join(', ')})` : '';
      problems.push(`modified after signing${pages}: ${changes.changes.join('; ')}`);
    }
    report.valid = check.intact && problems.length === 0;
    return report;
  });
}

/** A file whose revisions cannot be followed: one report that says why, so no signature in it counts. */
function brokenFile(reason: string): SignatureReport {
  return { certificates: [], selfSigned: false, signedRevision: 0, intact: false, modifications: [], modifiedPages: [], valid: false, problems: [`the file’s structure cannot be followed: ${reason}`] };
}

function describeSigner(report: SignatureReport, signer: X509Certificate): void {
  report.signer = commonName(signer);
  report.subject = signer.subject.replace(/\n/g, ', ');
  report.issuer = signer.issuer.replace(/\n/g, ', ');
  report.fingerprint = signer.fingerprint256;
  report.selfSigned = signer.checkIssued(signer) && signer.verify(signer.publicKey);
}

/** The DocMDP level a certification signature sets (/Reference … /TransformMethod /DocMDP), when this signature is the one the catalog's /Perms names. */
function docMdpLevel(doc: PdfRevisions, sig: PDFDict): number | undefined {
  const references = doc.resolve(sig.get(name('Reference')), doc.last);
  for (const reference of references instanceof PDFArray ? references.asArray() : []) {
    const dict = doc.dict(reference, doc.last);
    if (dict?.get(name('TransformMethod')) !== name('DocMDP')) continue;
    const p = doc.dict(dict.get(name('TransformParams')), doc.last)?.get(name('P'));
    return p instanceof PDFNumber ? p.asNumber() : 2;
  }
  return undefined;
}

/**
 * The unsigned document: the bytes up to the `%%EOF` of the revision before
 * the first signature's (the whole file when unsigned). The end of line after
 * that marker may be the signer's, so it is not counted.
 */
export function unsignedLength(pdf: Uint8Array): number {
  const signed = verifySignatures(pdf).filter((s) => s.signedRevision > 0);
  if (signed.length === 0) return pdf.length;
  const doc = new PdfRevisions(pdf);
  const index = doc.revisionEndingAt(Math.min(...signed.map((s) => s.signedRevision))) ?? 0;
  const previous = doc.revisions[index - 1];
  return previous ? doc.eofAt(previous) : pdf.length;
}
