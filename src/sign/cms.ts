import { createHash, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** CMS (RFC 5652) signatures as PAdES wants them, written and read with pkijs. */

export const oids = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  ecdsaWithSHA512: '1.2.840.10045.4.3.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
};

const hashNames = new Map([
  [oids.sha256, 'sha256'],
  [oids.sha384, 'sha384'],
  [oids.sha512, 'sha512'],
]);

const toBuffer = (data: ArrayBuffer | Uint8Array): Buffer => Buffer.from(data instanceof Uint8Array ? data : new Uint8Array(data));
// A copy: a Buffer's .buffer may be the whole shared pool.
const arrayBuffer = (data: Uint8Array): ArrayBuffer => new Uint8Array(data).buffer;

function certificateDer(certificate: pkijs.Certificate): Buffer {
  return toBuffer(certificate.toSchema().toBER());
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/**
 * A detached CMS SignedData as PAdES baseline B-B wants it (ETSI EN 319 142-1
 * 6.3, EN 319 122-1): SHA-256, signed attributes content-type, message-digest
 * and signing-certificate-v2 (the certificate's SHA-256), and no signing-time
 * attribute (the time is the signature dictionary's /M). RSA or EC keys.
 */
export function cadesDetached(digest: Buffer, key: KeyObject, certificate: Buffer, chain: Buffer[]): Buffer {
  const cert = pkijs.Certificate.fromBER(arrayBuffer(certificate));
  const certHash = createHash('sha256').update(certificate).digest();
  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; hashAlgorithm sha256 is the default, so absent.
  const essCertId = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: arrayBuffer(certHash) })] })] })] });
  // DER orders a SET OF by the elements' encodings; verifiers re-encode before checking.
  const attributes = [
    attribute(oids.contentType, new asn1js.ObjectIdentifier({ value: oids.data })),
    attribute(oids.messageDigest, new asn1js.OctetString({ valueHex: arrayBuffer(digest) })),
    attribute(oids.signingCertificateV2, essCertId),
  ].sort((a, b) => Buffer.compare(toBuffer(a.toSchema().toBER()), toBuffer(b.toSchema().toBER())));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  const toSign = toBuffer(signedAttrs.toSchema().toBER());
  toSign[0] = 0x31;
  const ec = key.asymmetricKeyType === 'ec';
  const signature = sign('sha256', toSign, ec ? { key, dsaEncoding: 'der' } : key);
  const sha256 = new pkijs.AlgorithmIdentifier({ algorithmId: oids.sha256 });
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: sha256,
    signedAttrs,
    signatureAlgorithm: ec ? new pkijs.AlgorithmIdentifier({ algorithmId: oids.ecdsaWithSHA256 }) : new pkijs.AlgorithmIdentifier({ algorithmId: oids.rsaEncryption, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: arrayBuffer(signature) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: oids.data }),
    certificates: [cert, ...chain.map((c) => pkijs.Certificate.fromBER(arrayBuffer(c)))],
    signerInfos: [signerInfo],
  });
  return toBuffer(new pkijs.ContentInfo({ contentType: oids.signedData, content: signedData.toSchema(true) }).toSchema().toBER());
}

export interface CmsCheck {
  /** The covered bytes hash to the signed message digest, and the signature over the attributes verifies with the signer's certificate. */
  intact: boolean;
  problem?: string;
  signer?: X509Certificate;
  /** Every certificate the CMS carries (DER), the signer's first. */
  certificates: Buffer[];
  /** The signer's signature value: what a signature time-stamp imprints. */
  signatureValue?: Buffer;
  /** The signature time-stamp token (an unsigned attribute), as DER. */
  timestampToken?: Buffer;
  subFilterFit: boolean;
}

export function parseSignedData(cms: Uint8Array): pkijs.SignedData {
  const info = pkijs.ContentInfo.fromBER(arrayBuffer(cms));
  if (info.contentType !== oids.signedData) throw new Error('the signature is not CMS SignedData');
  return new pkijs.SignedData({ schema: info.content });
}

/** Checks a detached CMS signature over the signed bytes, given as a function that hashes them with the named algorithm. */
export function checkCades(cms: Buffer, hashOf: (algorithm: string) => Buffer): CmsCheck {
  const fail = (problem: string, rest: Partial<CmsCheck> = {}): CmsCheck => ({ intact: false, problem, certificates: [], subFilterFit: false, ...rest });
  let signedData: pkijs.SignedData;
  try {
    signedData = parseSignedData(cms);
  } catch (error) {
    return fail(/SignedData/.test((error as Error).message) ? 'the signature is not CMS SignedData' : 'the signature is not DER-encoded CMS');
  }
  if (signedData.signerInfos.length !== 1) return fail(`the CMS holds ${signedData.signerInfos.length} signer infos (one expected)`);
  const signerInfo = signedData.signerInfos[0] as pkijs.SignerInfo;
  const carried = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const sid = signerInfo.sid;
  const signerCert = carried.find((c) => sid instanceof pkijs.IssuerAndSerialNumber && c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  const certificates = carried.map(certificateDer);
  if (!signerCert) return fail('the CMS does not carry the signer’s certificate', { certificates });
  const signerDer = certificateDer(signerCert);
  const signer = new X509Certificate(signerDer);
  const ordered = [signerDer, ...certificates.filter((c) => !c.equals(signerDer))];
  const base = { signer, certificates: ordered, signatureValue: toBuffer(signerInfo.signature.valueBlock.valueHexView) };
  const hash = hashNames.get(signerInfo.digestAlgorithm.algorithmId);
  if (!hash) return fail('the signature does not use SHA-256, SHA-384 or SHA-512', base);
  const attrs = signerInfo.signedAttrs;
  if (!attrs) return fail('the CMS has no signed attributes', base);
  const value = (type: string): asn1js.AsnType | undefined => attrs.attributes.find((a) => a.type === type)?.values[0];
  const subFilterFit = value(oids.signingCertificateV2) !== undefined && value(oids.signingTime) === undefined;
  const timestampToken = signerInfo.unsignedAttrs?.attributes.find((a) => a.type === oids.signatureTimeStampToken)?.values[0];
  const withToken = { ...base, subFilterFit, timestampToken: timestampToken ? toBuffer(timestampToken.toBER()) : undefined };
  const signedDigest = value(oids.messageDigest);
  if (!(signedDigest instanceof asn1js.OctetString) || !toBuffer(signedDigest.valueBlock.valueHexView).equals(hashOf(hash))) {
    return fail('the signed bytes changed: their hash is not the one signed', withToken);
  }
  const ess = value(oids.signingCertificateV2);
  const certHash = ess instanceof asn1js.Sequence ? findOctets(ess) : undefined;
  if (certHash && !certHash.equals(createHash('sha256').update(signerDer).digest())) return fail('signing-certificate-v2 does not name the certificate carried', withToken);
  const algorithm = signerInfo.signatureAlgorithm.algorithmId;
  const ec = [oids.ecPublicKey, oids.ecdsaWithSHA256, oids.ecdsaWithSHA384, oids.ecdsaWithSHA512].includes(algorithm);
  const rsa = [oids.rsaEncryption, oids.sha256WithRSA, oids.sha384WithRSA, oids.sha512WithRSA].includes(algorithm);
  if (!ec && !rsa) return fail(`the signature algorithm ${algorithm} is not supported (RSA PKCS #1 v1.5 or ECDSA)`, withToken);
  const signedBytes = toBuffer(attrs.encodedValue);
  let ok = false;
  try {
    ok = verify(hash, signedBytes, ec ? { key: signer.publicKey, dsaEncoding: 'der' } : signer.publicKey, withToken.signatureValue);
  } catch {
    ok = false;
  }
  if (!ok) return fail('the signature value does not verify with the signer’s certificate', withToken);
  return { intact: true, ...withToken };
}

/** The first OCTET STRING inside an ESSCertIDv2 list: the first certificate's hash. */
function findOctets(node: asn1js.AsnType): Buffer | undefined {
  if (node instanceof asn1js.OctetString) return toBuffer(node.valueBlock.valueHexView);
  if (node instanceof asn1js.Sequence) {
    for (const child of node.valueBlock.value) {
      const found = findOctets(child);
      if (found) return found;
    }
  }
  return undefined;
}

/** The (first) signer's signature value: what a signature time-stamp imprints. */
export function signatureValueOf(cms: Buffer): Buffer {
  const signerInfo = parseSignedData(cms).signerInfos[0];
  if (!signerInfo) throw new Error('the CMS has no signer');
  return toBuffer(signerInfo.signature.valueBlock.valueHexView);
}

/** The CMS with a signature time-stamp token added as an unsigned attribute of its signer (PAdES B-T). */
export function withSignatureTimestamp(cms: Buffer, token: Buffer): Buffer {
  const signedData = parseSignedData(cms);
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new Error('the CMS has no signer');
  const tokenAsn = asn1js.fromBER(arrayBuffer(token));
  if (tokenAsn.offset === -1) throw new Error('the time-stamp token is not DER');
  signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [attribute(oids.signatureTimeStampToken, tokenAsn.result)] });
  return toBuffer(new pkijs.ContentInfo({ contentType: oids.signedData, content: signedData.toSchema(true) }).toSchema().toBER());
}
