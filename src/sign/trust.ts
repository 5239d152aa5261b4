import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { exitCodes, LetterpressError } from '../common/errors.ts';
import { parseDer } from './der.ts';

/** A certificate file given on the command line that cannot be used: exit 2 (the user names another). */
export class CertificateFileError extends LetterpressError {
  readonly exitCode = exitCodes.usage.code;
}

/** A certificate as a report names it. */
export interface CertificateSummary {
  der: Buffer;
  /** The subject's attributes, comma-separated (`CN=Shixiang Fund, O=Shixiang`). */
  subject: string;
  /** SHA-256 of the DER: what a person compares with the fingerprint the fund published. */
  fingerprint: string;
}

/** SHA-256 of a certificate's DER, as `openssl x509 -fingerprint -sha256` prints it: upper-case hex pairs joined by colons. */
export function fingerprint(der: Uint8Array): string {
  return (createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g) ?? []).join(':');
}

export function summarize(der: Uint8Array): CertificateSummary {
  const buffer = Buffer.from(der);
  return { der: buffer, subject: new X509Certificate(buffer).subject.split('\n').join(', '), fingerprint: fingerprint(buffer) };
}

/** The certificates in a file: PEM (any number of CERTIFICATE blocks, other blocks ignored) or one DER certificate. */
export async function readCertificates(file: string): Promise<Buffer[]> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new CertificateFileError(`cannot read the certificate file ${file} (${error.code ?? error.message})`);
  });
  const text = bytes.toString('latin1');
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1] ?? '', 'base64'));
  const candidates = blocks.length > 0 ? blocks : text.includes('-----BEGIN') ? [] : [bytes];
  const certificates = candidates.filter((der) => {
    try {
      // A DER file is one element: trailing bytes mean it is something else.
      return parseDer(der).raw.length === der.length && new X509Certificate(der).raw.equals(der);
    } catch {
      return false;
    }
  });
  if (certificates.length === 0 || certificates.length < candidates.length) {
    throw new CertificateFileError(`${file} is not a certificate: give a PEM file (-----BEGIN CERTIFICATE-----) or a DER certificate (.cer/.crt/.pem)`);
  }
  return certificates;
}

export interface TrustResult {
  trusted: boolean;
  /** From the signer's certificate to the trusted one it ends in; when not trusted, as far as it could be built. */
  chain: CertificateSummary[];
  /** One line: which trusted certificate the chain ends in, or why it does not end in one. */
  reason: string;
}

const day = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');
const nameOf = (c: X509Certificate): string => c.subject.split('\n').join(', ');

/** The certificate, or undefined when the bytes (carried in a signature anyone may have edited) are not one. */
function readable(der: Uint8Array): X509Certificate | undefined {
  try {
    return new X509Certificate(Buffer.from(der));
  } catch {
    return undefined;
  }
}

/** Why `c` is not valid at `at`, or undefined when it is. */
function outsideValidity(c: X509Certificate, at: Date): string | undefined {
  const from = new Date(c.validFrom);
  const to = new Date(c.validTo);
  if (at < from) return `${nameOf(c)} is not yet valid on ${day(at)} (valid from ${day(from)})`;
  if (at > to) return `${nameOf(c)} had expired on ${day(at)} (valid until ${day(to)})`;
  return undefined;
}

/**
 * Whether the signer's certificate leads to one of `trusted`: it is one of
 * them, or each certificate is signed by the next (name, key identifier, key
 * usage and signature, by OpenSSL's X509_check_issued and X509_verify), every
 * issuer is a CA, up to one of them. Every certificate on the way must be
 * valid at `at` (the time the signature was made: a time-stamp's, or now).
 * Revocation is not checked. Issuers are looked for among the trusted
 * certificates and those the signature carries; when several certificates
 * could have issued one, each is tried.
 */
export function chainEndsInTrusted(signer: Uint8Array, certificatesInCms: Uint8Array[], trusted: Uint8Array[], options: { at?: Date } = {}): TrustResult {
  const at = options.at ?? new Date();
  const anchors = new Set(trusted.map((t) => fingerprint(t)));
  const pool = new Map<string, X509Certificate>();
  for (const der of [...trusted, ...certificatesInCms]) {
    const certificate = readable(der);
    if (certificate) pool.set(fingerprint(der), certificate);
  }
  const summaries = (chain: X509Certificate[]): CertificateSummary[] => chain.map((c) => summarize(c.raw));

  let expired: { chain: X509Certificate[]; reason: string } | undefined;
  let longest: X509Certificate[] = [];
  let forged: string | undefined;
  const walk = (chain: X509Certificate[]): X509Certificate[] | undefined => {
    const current = chain.at(-1) as X509Certificate;
    if (anchors.has(fingerprint(current.raw))) {
      const invalid = chain.map((c) => outsideValidity(c, at)).find((r) => r !== undefined);
      if (!invalid) return chain;
      expired ??= { chain, reason: invalid };
      return undefined;
    }
    if (chain.length > longest.length) longest = chain;
    if (chain.length >= 10) return undefined;
    const inChain = new Set(chain.map((c) => fingerprint(c.raw)));
    for (const [print, candidate] of pool) {
      if (inChain.has(print) || !candidate.ca || !current.checkIssued(candidate)) continue;
      if (!current.verify(candidate.publicKey)) {
        forged ??= `${nameOf(current)} names ${nameOf(candidate)} (SHA-256 ${print}) as its issuer, but that certificate's key did not sign it`;
        continue;
      }
      const found = walk([...chain, candidate]);
      if (found) return found;
    }
    return undefined;
  };

  const signerCertificate = readable(signer);
  if (!signerCertificate) return { trusted: false, chain: [], reason: "the signer's certificate cannot be read" };
  const found = walk([signerCertificate]);
  if (found) {
    const anchor = found.at(-1) as X509Certificate;
    const reason = found.length === 1
      ? `the signer's own certificate ${nameOf(anchor)} (SHA-256 ${fingerprint(anchor.raw)}) is trusted`
      : `the chain ends in ${nameOf(anchor)} (SHA-256 ${fingerprint(anchor.raw)}), a trusted certificate`;
    return { trusted: true, chain: summaries(found), reason };
  }
  if (expired) return { trusted: false, chain: summaries(expired.chain), reason: `the chain ends in a trusted certificate, but ${expired.reason}` };
  const last = longest.at(-1) ?? signerCertificate;
  const stop = last.issuer === last.subject && last.checkIssued(last)
    ? `the chain ends at ${nameOf(last)} (SHA-256 ${fingerprint(last.raw)}), self-signed and not among the trusted certificates`
    : `the chain stops at ${nameOf(last)} (SHA-256 ${fingerprint(last.raw)}): no trusted or carried certificate issued it (issuer ${last.issuer.split('\n').join(', ')})`;
  return { trusted: false, chain: summaries(longest.length > 0 ? longest : [signerCertificate]), reason: forged ? `${stop}; ${forged}` : stop };
}
