import { createHash, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { der, explicit, integer, nullValue, octets, oid, oidText, parseDer, sequence, setOf, type DerNode } from './der.ts';

const oids = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
};

const attribute = (type: string, value: Buffer): Buffer => sequence(oid(type), setOf(value));

/** Serial number and issuer of a certificate, as its DER has them (CMS names the signer by both). */
function issuerAndSerial(certificate: Buffer): Buffer {
  const tbs = parseDer(certificate).children[0];
  const fields = tbs?.children ?? [];
  const at = fields[0]?.tag === 0xa0 ? 1 : 0;
  const serial = fields[at];
  const issuer = fields[at + 2];
  if (!serial || !issuer) throw new Error('the certificate cannot be parsed');
  return sequence(issuer.raw, serial.raw);
}

/**
 * A detached CMS SignedData as PAdES baseline B-B wants it (ETSI EN 319 142-1
 * 6.3, EN 319 122-1): SHA-256, signed attributes content-type, message-digest
 * and signing-certificate-v2 (the certificate's SHA-256), and no signing-time
 * attribute (the time is the signature dictionary's /M). RSA keys.
 */
export function cadesDetached(digest: Buffer, key: KeyObject, certificate: Buffer, chain: Buffer[]): Buffer {
  const certHash = createHash('sha256').update(certificate).digest();
  const attributes = [
    attribute(oids.contentType, oid(oids.data)),
    attribute(oids.messageDigest, octets(digest)),
    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; hashAlgorithm sha256 is the default, so absent.
    attribute(oids.signingCertificateV2, sequence(sequence(sequence(octets(certHash))))),
  ];
  const signedAttributes = setOf(...attributes);
  const signature = sign('sha256', signedAttributes, key);
  const sha256 = sequence(oid(oids.sha256));
  const signerInfo = sequence(
    integer(1),
    issuerAndSerial(certificate),
    sha256,
    // [0] IMPLICIT: the same SET with its tag changed.
    Buffer.concat([Buffer.from([0xa0]), signedAttributes.subarray(1)]),
    sequence(oid(oids.rsaEncryption), nullValue),
    octets(signature),
  );
  const signedData = sequence(integer(1), setOf(sha256), sequence(oid(oids.data)), der(0xa0, certificate, ...chain), setOf(signerInfo));
  return sequence(oid(oids.signedData), explicit(0, signedData));
}

export interface CmsCheck {
  /** The covered bytes hash to the signed message digest, and the signature over the attributes verifies with the signer's certificate. */
  intact: boolean;
  problem?: string;
  signer?: X509Certificate;
  subFilterFit: boolean;
}

/** Checks a detached CMS signature over `digest` (the SHA-256 of the signed byte range). */
export function checkCades(cms: Buffer, digest: Buffer): CmsCheck {
  let root: DerNode;
  try {
    root = parseDer(cms);
  } catch {
    return { intact: false, problem: 'the signature is not DER-encoded CMS', subFilterFit: false };
  }
  const signedData = root.children[1]?.children[0];
  if (oidText(root.children[0]) !== oids.signedData || !signedData) return { intact: false, problem: 'the signature is not CMS SignedData', subFilterFit: false };
  const certificates = (signedData.children.find((c) => c.tag === 0xa0)?.children ?? []).map((c) => c.raw);
  const signerInfo = signedData.children.at(-1)?.children[0];
  const fields = signerInfo?.children ?? [];
  const [, sid, digestAlgorithm, signedAttributes, , signatureValue] = fields;
  if (!sid || !signedAttributes || signedAttributes.tag !== 0xa0 || !signatureValue) return { intact: false, problem: 'the CMS has no signed attributes', subFilterFit: false };
  if (oidText(digestAlgorithm?.children[0]) !== oids.sha256) return { intact: false, problem: 'the signature does not use SHA-256', subFilterFit: false };
  const signerDer = certificates.find((c) => issuerAndSerial(c).equals(sid.raw));
  if (!signerDer) return { intact: false, problem: 'the CMS does not carry the signer’s certificate', subFilterFit: false };
  const signer = new X509Certificate(signerDer);
  const attributes = new Map(signedAttributes.children.map((a) => [oidText(a.children[0]), a.children[1]?.children[0]]));
  const subFilterFit = attributes.has(oids.signingCertificateV2) && !attributes.has(oids.signingTime);
  const signed = attributes.get(oids.messageDigest)?.content;
  if (!signed?.equals(digest)) return { intact: false, problem: 'the signed bytes changed: their SHA-256 is not the one signed', signer, subFilterFit };
  const certHash = attributes.get(oids.signingCertificateV2)?.children[0]?.children[0]?.children.find((c) => c.tag === 0x04)?.content;
  if (certHash && !certHash.equals(createHash('sha256').update(signerDer).digest())) {
    return { intact: false, problem: 'signing-certificate-v2 does not name the certificate carried', signer, subFilterFit };
  }
  const attributesSet = Buffer.concat([Buffer.from([0x31]), signedAttributes.raw.subarray(1)]);
  if (!verify('sha256', attributesSet, signer.publicKey, signatureValue.content)) return { intact: false, problem: 'the signature value does not verify with the signer’s certificate', signer, subFilterFit };
  return { intact: true, signer, subFilterFit };
}
