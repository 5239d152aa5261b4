import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { ContentInfo, IssuerAndSerialNumber, SignedData } from 'pkijs';
import { latin1 } from './pdf-revisions.ts';
import type { SignatureReport } from './verify-signatures.ts';

/** A SHA-256 fingerprint as 64 lower-case hex digits, however it was written (`AB:CD:…` or `abcd…`). */
export function normalFingerprint(fingerprint: string): string {
  return fingerprint.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

/** The SHA-256 fingerprint of a certificate (DER), as the archive records it. */
export function certificateFingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * The SHA-256 fingerprint of the certificate that made a signature `verifySignatures`
 * reported: the report's own when it carries one, else read from the CMS of the
 * signature dictionary in that signature's update (the first /ByteRange after
 * the revision it signed) with pkijs. Undefined when there is no such certificate.
 */
export function signerFingerprint(report: SignatureReport & { fingerprint?: string }, pdf: Uint8Array): string | undefined {
  if (report.fingerprint) return normalFingerprint(report.fingerprint);
  const text = latin1(pdf);
  const range = text.indexOf('/ByteRange', report.signedRevision);
  if (range < 0) return undefined;
  const start = text.lastIndexOf(' obj', range);
  const end = text.indexOf('endobj', range);
  const hex = /\/Contents\s*<([0-9A-Fa-f]*)>/.exec(text.slice(start, end < 0 ? undefined : end))?.[1];
  if (!hex) return undefined;
  try {
    const info = new ContentInfo({ schema: asn1js.fromBER(Buffer.from(hex, 'hex')).result });
    const signed = new SignedData({ schema: info.content });
    const sid = signed.signerInfos[0]?.sid;
    if (!(sid instanceof IssuerAndSerialNumber)) return undefined;
    for (const certificate of signed.certificates ?? []) {
      if (!('serialNumber' in certificate) || !certificate.serialNumber.isEqual(sid.serialNumber) || !certificate.issuer.isEqual(sid.issuer)) continue;
      return certificateFingerprint(new Uint8Array(certificate.toSchema().toBER()));
    }
  } catch {
    // Not CMS: verifySignatures reports that signature invalid already.
  }
  return undefined;
}
