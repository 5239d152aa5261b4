import { constants, createHash, randomBytes, verify, X509Certificate, type KeyObject } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exitCodes, LetterpressError, UsageError } from '../common/errors.ts';
import { parseDer } from './der.ts';
import { summarize, type CertificateSummary } from './trust.ts';

/** A time-stamp could not be had from the authority: one line naming why (exit 1); nothing was written. */
export class TimestampError extends LetterpressError {
  readonly exitCode = exitCodes.failed.code;
}

const oids = {
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  extendedKeyUsage: '2.5.29.37',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaPss: '1.2.840.113549.1.1.10',
};

/** Digest algorithms by OID, as node:crypto names them. */
const digests: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  [oids.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithms whose OID names the digest too (RSA PKCS#1 v1.5, ECDSA). */
const signatureDigests: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const iso = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');
const bytesOf = (view: ArrayBuffer | Uint8Array): Buffer => Buffer.from(view instanceof Uint8Array ? view : new Uint8Array(view));
/** A copy pkijs/asn1js accept (they want an ArrayBuffer-backed view, which a pooled Buffer may not be). */
const ber = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

/** The imprint a token carries: the digest algorithm and the digest of the time-stamped data. */
export interface Imprint {
  algorithm: string;
  digest: Buffer;
}

interface ParsedToken {
  signedData: pkijs.SignedData;
  tstInfoDer: Buffer;
  tstInfo: pkijs.TSTInfo;
  /** SignedData's CertificateSet as its bytes are (pkijs would encode them again), in pkijs's order. */
  certificateSet: Buffer[];
}

/** Reads a TimeStampToken (a CMS SignedData over a TSTInfo); throws a one-line reason when it is not one. */
function parseToken(token: Uint8Array): ParsedToken {
  let info: pkijs.ContentInfo;
  try {
    info = pkijs.ContentInfo.fromBER(ber(token));
  } catch {
    throw new Error('the time-stamp token is not DER-encoded CMS');
  }
  if (info.contentType !== oids.signedData) throw new Error('the time-stamp token is not CMS SignedData');
  const signedData = new pkijs.SignedData({ schema: info.content });
  const eContent = signedData.encapContentInfo.eContent;
  if (signedData.encapContentInfo.eContentType !== oids.tstInfo || !eContent) throw new Error('the CMS does not hold a TSTInfo: it is not a time-stamp token');
  const tstInfoDer = bytesOf(eContent.getValue());
  let tstInfo: pkijs.TSTInfo;
  try {
    tstInfo = pkijs.TSTInfo.fromBER(ber(tstInfoDer));
  } catch {
    throw new Error('the TSTInfo of the time-stamp token cannot be read');
  }
  const signedDataDer = parseDer(Buffer.from(token)).children[1]?.children[0];
  const certificateSet = (signedDataDer?.children.find((c) => c.tag === 0xa0)?.children ?? []).map((c) => Buffer.from(c.raw));
  return { signedData, tstInfoDer, tstInfo, certificateSet };
}

/** Certificates proper (a SEQUENCE; attribute certificates are tagged [1]–[3]). */
const certificatesIn = (set: Buffer[]): Buffer[] => set.filter((c) => c[0] === 0x30);

function imprintOf(tstInfo: pkijs.TSTInfo): Imprint {
  const { hashAlgorithm, hashedMessage } = tstInfo.messageImprint;
  return { algorithm: digests[hashAlgorithm.algorithmId] ?? hashAlgorithm.algorithmId, digest: bytesOf(hashedMessage.valueBlock.valueHexView) };
}

/** The imprint a token carries, or undefined when it is not a time-stamp token. */
export function timestampImprint(token: Uint8Array): Imprint | undefined {
  try {
    return imprintOf(parseToken(token).tstInfo);
  } catch {
    return undefined;
  }
}

/** Whether `imprint` is the digest of `data`: undefined when it is, else why not. */
function imprintProblem(imprint: Imprint, data: Uint8Array): string | undefined {
  if (!Object.values(digests).includes(imprint.algorithm) || imprint.algorithm === 'sha1') return `the time-stamp's imprint uses ${imprint.algorithm}, not SHA-256, SHA-384 or SHA-512`;
  if (!createHash(imprint.algorithm).update(data).digest().equals(imprint.digest)) return 'the time-stamp is for other data: its message imprint is not the digest of the bytes checked';
  return undefined;
}

/** The public-key check of the signer's signature over `data`, for the algorithms TSAs use (RSA, RSA-PSS, ECDSA, Ed25519). */
function signatureHolds(signerInfo: pkijs.SignerInfo, key: KeyObject, data: Buffer): boolean | string {
  const algorithm = signerInfo.signatureAlgorithm.algorithmId;
  const signature = bytesOf(signerInfo.signature.valueBlock.valueHexView);
  const digest = digests[signerInfo.digestAlgorithm.algorithmId];
  if (algorithm === oids.rsaPss) {
    const params = new pkijs.RSASSAPSSParams({ schema: signerInfo.signatureAlgorithm.algorithmParams });
    const hash = digests[params.hashAlgorithm.algorithmId];
    if (!hash) return `unsupported RSA-PSS digest ${params.hashAlgorithm.algorithmId}`;
    return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
  }
  if (key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448') return verify(null, data, key, signature);
  const hash = signatureDigests[algorithm] ?? digest;
  if (!hash) return `unsupported signature algorithm ${algorithm}`;
  return verify(hash, data, key, signature);
}

/** Whether an ESS signing-certificate attribute (v1: SHA-1; v2: SHA-256 unless named) holds the hash of `certificate`. */
function essNames(attribute: pkijs.Attribute, certificate: Buffer): boolean {
  const value = attribute.values[0] as asn1js.AsnType | undefined;
  if (!value) return false;
  // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), ... }; the first names the signer.
  const first = parseDer(Buffer.from(value.toBER())).children[0]?.children[0];
  const [head, next] = first?.children ?? [];
  const v2 = attribute.type === oids.signingCertificateV2;
  const hashName = v2 && head?.tag === 0x30 ? digests[pkijs.AlgorithmIdentifier.fromBER(ber(head.raw)).algorithmId] : v2 ? 'sha256' : 'sha1';
  const certHash = head?.tag === 0x30 ? next : head;
  return !!hashName && certHash?.tag === 0x04 && createHash(hashName).update(certificate).digest().equals(certHash.content);
}

/** What the token's own CMS signature and its signer's certificate fall short of (RFC 3161 2.3, 2.4.2; RFC 5816). */
function signatureProblems(parsed: ParsedToken): { problems: string[]; signer?: { der: Buffer; parsed: pkijs.Certificate } } {
  const { signedData, tstInfoDer, certificateSet } = parsed;
  const [signerInfo, ...others] = signedData.signerInfos;
  if (!signerInfo || others.length > 0) return { problems: ['the time-stamp token must have exactly one signer'] };
  const index = (signedData.certificates ?? []).findIndex((c) => {
    if (!(c instanceof pkijs.Certificate)) return false;
    const sid = signerInfo.sid;
    if (sid instanceof pkijs.IssuerAndSerialNumber) return c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber);
    const keyId = bytesOf((sid as asn1js.OctetString).valueBlock.valueHexView);
    return createHash('sha1').update(c.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest().equals(keyId);
  });
  const der = certificateSet[index];
  const certificate = signedData.certificates?.[index];
  if (!der || !(certificate instanceof pkijs.Certificate)) return { problems: ["the time-stamp token does not carry its authority's certificate"] };
  const signer = { der, parsed: certificate };
  const attributes = signerInfo.signedAttrs?.attributes ?? [];
  const find = (type: string) => attributes.find((a) => a.type === type);
  const contentType = find(oids.contentType)?.values[0];
  const messageDigest = find(oids.messageDigest)?.values[0];
  const digest = digests[signerInfo.digestAlgorithm.algorithmId];
  if (!signerInfo.signedAttrs || !(contentType instanceof asn1js.ObjectIdentifier) || !(messageDigest instanceof asn1js.OctetString) || !digest) {
    return { problems: ['the time-stamp token has no content-type and message-digest signed attributes'], signer };
  }
  const problems: string[] = [];
  if (contentType.valueBlock.toString() !== oids.tstInfo) problems.push('the time-stamp token signs another content type than TSTInfo');
  if (!createHash(digest).update(tstInfoDer).digest().equals(bytesOf(messageDigest.valueBlock.valueHexView))) problems.push('the TSTInfo changed after the authority signed it: its digest is not the one signed');
  const holds = signatureHolds(signerInfo, new X509Certificate(der).publicKey, bytesOf(signerInfo.signedAttrs.encodedValue));
  if (typeof holds === 'string') problems.push(`the time-stamp token's signature cannot be checked: ${holds}`);
  else if (!holds) problems.push("the time-stamp token's signature does not verify with its authority's certificate");
  const ess = find(oids.signingCertificateV2) ?? find(oids.signingCertificate);
  if (!ess) problems.push('the time-stamp token has no signing-certificate attribute naming its authority (RFC 3161 2.4.2)');
  else if (!essNames(ess, der)) problems.push("the time-stamp token's signing-certificate attribute names another certificate than the one that signed it");
  return { problems, signer };
}

/** RFC 3161 2.3: the TSA's certificate has exactly one extended key usage, timeStamping, and the extension is critical. */
function extendedKeyUsageProblem(certificate: pkijs.Certificate, name: string): string | undefined {
  const extension = certificate.extensions?.find((e) => e.extnID === oids.extendedKeyUsage);
  const purposes = extension?.parsedValue instanceof pkijs.ExtKeyUsage ? extension.parsedValue.keyPurposes : [];
  if (!purposes.includes(oids.timeStamping)) return `the authority's certificate ${name} is not for time-stamping: its extended key usage lacks timeStamping`;
  if (purposes.length > 1) return `the authority's certificate ${name} has other extended key usages besides timeStamping (RFC 3161 allows it only)`;
  if (!extension?.critical) return `the authority's certificate ${name} has extended key usage timeStamping, but not marked critical (RFC 3161 2.3)`;
  return undefined;
}

/** Why `time` is outside the certificate's validity, or undefined. */
function validityProblem(time: Date, certificate: Buffer, whose: string): string | undefined {
  const c = new X509Certificate(certificate);
  const from = new Date(c.validFrom);
  const to = new Date(c.validTo);
  if (time < from) return `the time-stamp (${iso(time)}) is before ${whose} certificate was valid (from ${iso(from)})`;
  if (time > to) return `the time-stamp (${iso(time)}) is after ${whose} certificate expired (${iso(to)})`;
  return undefined;
}

export interface TimestampCheck {
  /** The time the authority vouches for (TSTInfo genTime); undefined when the token cannot be read. */
  time?: Date;
  /** The certificate that signed the token; undefined when the token does not carry it. */
  tsaCertificate?: CertificateSummary;
  /** Every certificate the token carries (its authority's chain, for `chainEndsInTrusted`). */
  certificates: Buffer[];
  /** The TSTInfo serial number (hex), to tell tokens apart. */
  serialNumber?: string;
  /** Each reason the token does not prove `time` for the data; empty when it does. */
  problems: string[];
}

export interface TimestampCheckOptions {
  /**
   * The certificate of the signature the token time-stamps: a token made
   * before it was valid, or after it expired, proves nothing for it.
   */
  signerCertificate?: Uint8Array;
}

/**
 * Checks an RFC 3161 TimeStampToken over `data` (for a PAdES signature
 * time-stamp, the signature value): its imprint is the digest of `data`, its
 * CMS signature verifies with the certificate it names (ESS signing-certificate),
 * that certificate has the critical extended key usage timeStamping only and
 * was valid at the token's time. Whether the authority is trusted is
 * `chainEndsInTrusted(tsaCertificate, certificates, …)`'s question.
 */
export function checkTimestampToken(token: Uint8Array, data: Uint8Array, options: TimestampCheckOptions = {}): TimestampCheck {
  let parsed: ParsedToken;
  try {
    parsed = parseToken(token);
  } catch (error) {
    return { certificates: [], problems: [(error as Error).message] };
  }
  const { tstInfo, certificateSet } = parsed;
  const time = tstInfo.genTime;
  const problems: string[] = [];
  const mismatch = imprintProblem(imprintOf(tstInfo), data);
  if (mismatch) problems.push(mismatch);
  let tsaCertificate: CertificateSummary | undefined;
  // The token comes from a file anyone may have edited: bytes that parse as CMS may still hold a broken certificate or key.
  try {
    const { problems: signature, signer } = signatureProblems(parsed);
    problems.push(...signature);
    if (signer) {
      tsaCertificate = summarize(signer.der);
      const eku = extendedKeyUsageProblem(signer.parsed, tsaCertificate.subject);
      if (eku) problems.push(eku);
      const validity = validityProblem(time, signer.der, "its authority's");
      if (validity) problems.push(validity);
    }
  } catch (error) {
    problems.push(`the time-stamp token's signature or certificate cannot be read (${(error as Error).message.split('\n')[0]})`);
  }
  if (options.signerCertificate) {
    const validity = validityProblem(time, Buffer.from(options.signerCertificate), "the signer's");
    if (validity) problems.push(validity);
  }
  return {
    time,
    tsaCertificate,
    certificates: certificatesIn(certificateSet),
    serialNumber: bytesOf(tstInfo.serialNumber.valueBlock.valueHexView).toString('hex'),
    problems,
  };
}

const statusNames = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];
const failureNames: Record<number, string> = { 0: 'badAlg', 2: 'badRequest', 5: 'badDataFormat', 14: 'timeNotAvailable', 15: 'unacceptedPolicy', 16: 'unacceptedExtension', 17: 'addInfoNotAvailable', 25: 'systemFailure' };

/** POSTs the query; resolves with the HTTP answer, or throws a TimestampError naming the cause. */
function post(url: URL, body: Buffer, timeoutMs: number): Promise<{ status: number; statusText: string; contentType: string; body: Buffer }> {
  const where = `the time-stamp authority at ${url.href}`;
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    // A connection of its own (no keep-alive pool): one exchange, then nothing left open.
    const request = client.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/timestamp-query', 'content-length': body.length, accept: 'application/timestamp-reply' } }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // A reply is a few kilobytes; more is not a time-stamp reply.
        if (size > 1 << 20) request.destroy(new TimestampError(`${where} sent more than 1 MB: it is not a time-stamp reply (check the URL)`));
        else chunks.push(chunk);
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    const timer = setTimeout(() => request.destroy(new TimestampError(`${where} did not answer within ${timeoutMs / 1000} s (try again, or another authority)`)), timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof TimestampError) return reject(error);
      const cause =
        error.code === 'ECONNREFUSED' ? 'refused the connection: nothing listens there (is the URL right, is the service up?)'
        : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN' ? `cannot be reached: the host ${url.hostname} is not known (check the URL)`
        : error.code === 'ECONNRESET' ? 'closed the connection before answering (try again, or another authority)'
        : /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(error.code ?? '') ? `has an HTTPS certificate this machine does not trust (${error.code}): check the URL, or use the authority's http:// address (the token is signed either way)`
        : `cannot be reached (${error.code ?? error.message})`;
      reject(new TimestampError(`${where} ${cause}`));
    });
    request.end(body);
  });
}

export interface RequestOptions {
  /** How long the whole exchange may take (default 30 s). */
  timeoutMs?: number;
}

/**
 * Asks the RFC 3161 authority at `url` (HTTP or HTTPS, nothing else is
 * contacted) to time-stamp `data`: a SHA-256 imprint, a random nonce, and the
 * authority's certificate requested in the token. Returns the token (DER, as
 * the authority sent it) once its imprint and nonce are the ones sent and it
 * passes `checkTimestampToken`; otherwise throws a TimestampError naming why.
 */
export async function requestTimestamp(url: string, data: Uint8Array, options: RequestOptions = {}): Promise<Buffer> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new UsageError(`${url} is not a URL: give the time-stamp authority's address, e.g. https://freetsa.org/tsr`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new UsageError(`${url} is not an http:// or https:// URL: time-stamp authorities answer over HTTP (RFC 3161 3.4)`);
  const imprint = createHash('sha256').update(data).digest();
  // Positive and minimally encoded: the first byte is 0x01–0x7f.
  const nonce = randomBytes(12);
  nonce[0] = ((nonce[0] ?? 0) % 0x7f) + 1;
  const query = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: oids.sha256, algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: ber(imprint) }),
    }),
    nonce: new asn1js.Integer({ valueHex: ber(nonce) }),
    certReq: true,
  });
  const where = `the time-stamp authority at ${target.href}`;
  const answer = await post(target, Buffer.from(query.toSchema().toBER()), options.timeoutMs ?? 30_000);
  if (answer.status !== 200) throw new TimestampError(`${where} answered HTTP ${answer.status} ${answer.statusText}`.trimEnd() + ' (check the URL, or try again later)');
  let reply: pkijs.TimeStampResp;
  let tokenDer: Buffer | undefined;
  try {
    reply = pkijs.TimeStampResp.fromBER(ber(answer.body));
    tokenDer = parseDer(answer.body).children[1]?.raw;
  } catch {
    throw new TimestampError(`${where} did not send a time-stamp reply (${answer.contentType || 'no content type'}, ${answer.body.length} bytes): check the URL`);
  }
  const status = reply.status.status;
  if (status !== 0 && status !== 1) {
    const text = reply.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
    const bits = reply.status.failInfo?.valueBlock.valueHexView;
    const failures = bits ? Object.entries(failureNames).filter(([bit]) => ((bits[Math.floor(Number(bit) / 8)] ?? 0) >> (7 - (Number(bit) % 8))) & 1).map(([, n]) => n) : [];
    const detail = [text, ...failures].filter(Boolean).join('; ');
    throw new TimestampError(`${where} refused the request: ${statusNames[status] ?? `status ${status}`}${detail ? ` (${detail})` : ''}`);
  }
  if (!tokenDer) throw new TimestampError(`${where} granted the request but sent no token`);
  const token = Buffer.from(tokenDer);
  const received = timestampImprint(token);
  if (!received) throw new TimestampError(`${where} sent a token that cannot be read as a time-stamp token`);
  if (received.algorithm !== 'sha256' || !received.digest.equals(imprint)) throw new TimestampError(`${where} answered for another imprint than the one sent: the token does not time-stamp this signature`);
  const { tstInfo } = parseToken(token);
  const nonceBack = tstInfo.nonce ? bytesOf(tstInfo.nonce.valueBlock.valueHexView) : undefined;
  if (!nonceBack?.equals(nonce)) throw new TimestampError(`${where} answered without the nonce sent: the reply is not the answer to this request`);
  const check = checkTimestampToken(token, data);
  if (check.problems.length > 0) throw new TimestampError(`${where} sent a token that does not hold: ${check.problems[0]}`);
  return token;
}
