import { checkTimestampToken, type TimestampCheck } from './timestamp.ts';
import { chainEndsInTrusted, type TrustResult } from './trust.ts';
import type { SignatureReport } from './verify-signatures.ts';

/**
 * What a verified signature proves beyond its own bytes: when it was made
 * (its RFC 3161 signature time-stamp, checked over the signature value) and
 * whose it is (its certificate chain ending in a certificate the reader
 * trusts, at the time-stamped moment when there is one, else now).
 */
export interface SignatureProof {
  timestamp?: TimestampCheck & { trust?: TrustResult };
  /** Present when trust anchors were given. */
  trust?: TrustResult;
  /** Everything asked for holds: the time-stamp (if any) checks, and each trust asked for is established. */
  holds: boolean;
}

export interface TrustAnchors {
  /** Certificates a signer's chain may end in (the fund's own, or its CA's root). */
  signers?: Buffer[];
  /** Certificates a time-stamp authority's chain may end in. */
  authorities?: Buffer[];
}

export function proveSignature(report: SignatureReport, anchors: TrustAnchors = {}): SignatureProof {
  const signer = report.certificates[0];
  let timestamp: SignatureProof['timestamp'];
  if (report.timestampToken && report.signatureValue) {
    const check = checkTimestampToken(report.timestampToken, report.signatureValue, { signerCertificate: signer });
    timestamp = check;
    if (anchors.authorities?.length && check.tsaCertificate) {
      timestamp = { ...check, trust: chainEndsInTrusted(check.tsaCertificate.der, check.certificates, anchors.authorities, { at: check.time }) };
    }
  }
  const at = timestamp && timestamp.problems.length === 0 ? timestamp.time : undefined;
  const trust = anchors.signers?.length && signer ? chainEndsInTrusted(signer, report.certificates, anchors.signers, { at }) : anchors.signers?.length ? { trusted: false, chain: [], reason: 'the signature carries no certificate' } : undefined;
  const timestampHolds = !timestamp || (timestamp.problems.length === 0 && (!anchors.authorities?.length || timestamp.trust?.trusted === true));
  const trustHolds = !trust || trust.trusted;
  return { timestamp, trust, holds: timestampHolds && trustHolds && (!anchors.authorities?.length || timestamp !== undefined) };
}
