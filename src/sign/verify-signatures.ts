import { createHash } from 'node:crypto';
import { checkCades } from './cms.ts';
import { latin1, revisionEnds } from './pdf-revisions.ts';
import { commonName } from './sign-pdf.ts';

export interface SignatureReport {
  /** The signer's name from the certificate the signature carries (its common name). */
  signer?: string;
  /** Subject and issuer of that certificate, as `verify` reports them. */
  subject?: string;
  issuer?: string;
  selfSigned: boolean;
  /** The claimed signing time (/M), reason and location, as written. */
  time?: string;
  reason?: string;
  location?: string;
  subFilter?: string;
  /** Length of the revision that was signed: the file as it was before this signature's update. */
  signedRevision: number;
  /** Every check passed. */
  valid: boolean;
  problems: string[];
}

/** Objects a signature's own update may hold: the new catalog and page revisions, the field, its appearance and its place in the structure tree, the signature, the cross-reference stream. */
const updateTypes = new Set(['/Catalog', '/Page', '/Annot', '/XObject', '/Sig', '/XRef', '/StructTreeRoot', '/StructElem', '/ParentTree']);

/**
 * Checks each signature of a PDF: its ByteRange covers the whole file except
 * its own /Contents (or ends exactly where a later signature's update
 * begins), the covered bytes hash to what was signed and the CMS signature
 * verifies with the certificate it carries, and the update that added the
 * signature holds nothing but the signature's objects. Whether the
 * certificate is trusted is not checked here: there is no trust list.
 */
export function verifySignatures(pdf: Uint8Array): SignatureReport[] {
  const text = latin1(pdf);
  const ends = revisionEnds(pdf);
  const found = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const updateStarts = found.map((m) => ends.filter((e) => e <= m.index).at(-1) ?? 0);
  return found.map((match, i) => {
    const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
    const problems: string[] = [];
    const objectStart = text.lastIndexOf(' obj', match.index);
    const dictEnd = text.indexOf('endobj', match.index);
    const dict = text.slice(objectStart, dictEnd < 0 ? undefined : dictEnd).replace(/\/Contents\s*<[0-9A-Fa-f]*>/, '');
    const field = (key: string): string | undefined => decodePdfString(new RegExp(`/${key}\\s*(<[0-9A-Fa-f]*>|\\((?:[^()\\\\]|\\\\.)*\\))`).exec(dict)?.[1]);
    const report: SignatureReport = {
      selfSigned: false,
      time: field('M'),
      reason: field('Reason'),
      location: field('Location'),
      subFilter: /\/SubFilter\s*\/([\w.]+)/.exec(dict)?.[1],
      signedRevision: updateStarts[i] ?? 0,
      valid: false,
      problems,
    };
    const end = c + d;
    const gap = text.slice(b, c);
    if (a !== 0 || b <= 0 || c <= b || end > pdf.length || !/^<[0-9A-Fa-f]*>$/.test(gap)) {
      problems.push(`the byte range [${a} ${b} ${c} ${d}] does not leave out exactly the signature's /Contents`);
      return report;
    }
    // A revision ends with %%EOF and its end of line.
    const endsAt = (offset: number): boolean => ends.some((e) => /^\r?\n?$/.test(text.slice(e, offset)) && offset >= e);
    if (end !== pdf.length && !updateStarts.some((start) => start <= end && /^\r?\n?$/.test(text.slice(start, end)))) {
      problems.push(`${pdf.length - end} bytes after the signed range are not covered by any signature`);
    }
    if (!endsAt(end)) problems.push('the signed range does not end with a complete revision (%%EOF)');
    const digest = createHash('sha256').update(pdf.subarray(0, b)).update(pdf.subarray(c, end)).digest();
    const check = checkCades(Buffer.from(gap.slice(1, -1), 'hex'), digest);
    if (check.problem) problems.push(check.problem);
    if (check.signer) {
      report.signer = commonName(check.signer);
      report.subject = check.signer.subject.replace(/\n/g, ', ');
      report.issuer = check.signer.issuer.replace(/\n/g, ', ');
      report.selfSigned = check.signer.checkIssued(check.signer) && check.signer.verify(check.signer.publicKey);
    }
    // What this signature's update adds besides the signature: nothing else may change hands unseen.
    const update = text.slice(report.signedRevision, end);
    for (const object of update.matchAll(/(\d+)\s+\d+\s+obj\b([\s\S]*?)endobj/g)) {
      const type = topLevelType(object[2] ?? '');
      if (type && !updateTypes.has(type)) problems.push(`the signature's update also changes object ${object[1]} (${type})`);
    }
    report.valid = problems.length === 0 && check.intact;
    return report;
  });
}

/** The unsigned document: the bytes before the first signature's update (the whole file when unsigned). */
export function unsignedLength(pdf: Uint8Array): number {
  return Math.min(pdf.length, ...verifySignatures(pdf).map((s) => s.signedRevision));
}

/** An object's own /Type, not that of a dictionary nested in it. */
function topLevelType(body: string): string | undefined {
  const head = body.split(/\bstream\r?\n/)[0] ?? '';
  let inner = head.slice(head.indexOf('<<') + 2, head.lastIndexOf('>>'));
  for (let previous = ''; previous !== inner; ) {
    previous = inner;
    inner = inner.replace(/<<(?:(?!<<|>>)[\s\S])*>>/g, '');
  }
  return /\/Type\s*(\/\w+)/.exec(inner)?.[1];
}

/** A PDF string as text: UTF-16 hex with its BOM, or a literal string. */
function decodePdfString(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (raw.startsWith('<')) {
    const bytes = Buffer.from(raw.slice(1, -1), 'hex');
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le');
    return bytes.toString('latin1');
  }
  return raw.slice(1, -1).replace(/\\([()\\])/g, '$1');
}
