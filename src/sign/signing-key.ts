import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import forge from 'node-forge';
import { exitCodes, LetterpressError } from '../common/errors.ts';

/** A signing key that cannot be used as given: exit code 2 (a usage error the user fixes). */
export class SigningKeyError extends LetterpressError {
  readonly exitCode = exitCodes.usage.code;
}

export interface SigningKey {
  key: KeyObject;
  /** The signer's certificate (DER). */
  certificate: Buffer;
  /** The other certificates in the file (DER), carried in the signature for the reader to build the chain. */
  chain: Buffer[];
}

/**
 * The key's password: the first line of a file, or LETTERPRESS_KEY_PASSWORD (which may be set empty).
 * Never an argument, which other users of the machine can read in the process list.
 */
export async function keyPassword(passwordFile: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  if (passwordFile) {
    const text = await readFile(passwordFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new SigningKeyError(`cannot read the password file ${passwordFile} (${error.code ?? error.message})`);
    });
    return text.split(/\r?\n/)[0] ?? '';
  }
  const password = env.LETTERPRESS_KEY_PASSWORD;
  if (password === undefined) throw new SigningKeyError('no password given: set LETTERPRESS_KEY_PASSWORD or use --password-file');
  return password;
}

/** Reads a PKCS#12 file (.p12/.pfx, as `openssl pkcs12 -export` writes it): the RSA key and the certificate that matches it. */
export async function readSigningKey(file: string, passwordOf: string | (() => Promise<string>)): Promise<SigningKey> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new SigningKeyError(`cannot read the key ${file} (${error.code ?? error.message})`);
  });
  // Asked for only once the key is there: a wrong key path is named as such, not as a missing password.
  const password = typeof passwordOf === 'string' ? passwordOf : await passwordOf();
  let p12;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary'))), false, password);
  } catch (error) {
    const reason = /MAC|password/i.test((error as Error).message)
      ? 'wrong password (set LETTERPRESS_KEY_PASSWORD or use --password-file FILE)'
      : 'not a PKCS#12 file (make one with `openssl pkcs12 -export -inkey key.pem -in cert.pem -out key.p12`)';
    throw new SigningKeyError(`cannot open the key ${file}: ${reason}`);
  }
  const bags = (type: string) => p12.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag ?? ''), ...bags(forge.pki.oids.keyBag ?? '')].find((b) => b.key);
  if (!keyBag?.key) throw new SigningKeyError(`${file} holds no RSA private key (letterpress signs with RSA keys)`);
  const key = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key));
  // forge reads RSA certificates only; one it cannot read (an EC root's, say) is taken as the DER it holds.
  const certificates = bags(forge.pki.oids.certBag ?? '').flatMap((b) => {
    const asn1 = b.cert ? forge.pki.certificateToAsn1(b.cert) : b.asn1;
    return asn1 ? [Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary')] : [];
  });
  const publicKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const certificate = certificates.find((c) => new X509Certificate(c).publicKey.export({ type: 'spki', format: 'der' }).equals(publicKey));
  if (!certificate) throw new SigningKeyError(`${file} holds no certificate for its key`);
  return { key, certificate, chain: certificates.filter((c) => c !== certificate) };
}
