import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs openssl; a failure shows its stderr, which names what it refused. */
export async function openssl(args: string[], options: { cwd?: string } = {}): Promise<string> {
  try {
    return (await run('openssl', args, { cwd: options.cwd, maxBuffer: 16 << 20 })).stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.trim() || e.message}`);
  }
}

/** A certificate made by openssl, with its key, as files and as DER. */
export interface Issued {
  name: string;
  certPem: string;
  keyPem: string;
  der: Buffer;
}

export interface IssueOptions {
  /** openssl x509v3 extension lines (`extendedKeyUsage = critical,timeStamping`). */
  extensions?: string[];
  /** The validity; by default from an hour ago for 30 days. */
  validFrom?: Date;
  validTo?: Date;
  /** The subject's key: P-256 by default (quick to make), or RSA 2048. */
  keyType?: 'rsa' | 'ec';
  /** Signs with the new key itself, as this authority's own certificate (`openssl ca -selfsign`). */
  selfSign?: boolean;
}

const hour = 3_600_000;
/** openssl ca's date format: YYYYMMDDHHMMSSZ. */
const caDate = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');

async function newKey(file: string, keyType: 'rsa' | 'ec'): Promise<void> {
  const algorithm = keyType === 'rsa' ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  await openssl(['genpkey', ...algorithm, '-out', file]);
}

/**
 * A certification authority in a folder, signing with `openssl ca`, which
 * (unlike `openssl x509 -req` in OpenSSL 3.0) sets any validity period:
 * certificates not yet valid, or expired.
 */
export class TestCa {
  private constructor(
    readonly dir: string,
    readonly certificate: Issued,
  ) {}

  /** A self-signed root named `CN=name`, or, with `issuer`, an intermediate it issues. */
  static async create(dir: string, name: string, issuer?: TestCa): Promise<TestCa> {
    const slug = name.replace(/\W+/g, '-').toLowerCase();
    const caDir = path.join(dir, slug);
    await mkdir(path.join(caDir, 'issued'), { recursive: true });
    await writeFile(path.join(caDir, 'index.txt'), '');
    await writeFile(path.join(caDir, 'index.txt.attr'), 'unique_subject = no\n');
    await writeFile(
      path.join(caDir, 'ca.cnf'),
      [
        '[ ca ]',
        'default_ca = this',
        '[ this ]',
        `dir = ${caDir}`,
        'database = $dir/index.txt',
        'new_certs_dir = $dir/issued',
        'serial = $dir/serial',
        'default_md = sha256',
        'policy = anything',
        'email_in_dn = no',
        '[ anything ]',
        'commonName = supplied',
        '',
      ].join('\n'),
    );
    const caExtensions = ['basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign'];
    // A random first serial: two CAs named alike never issue the same issuer and serial.
    await writeFile(path.join(caDir, 'serial'), `${Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0')}01\n`);
    // Valid from a year back, so certificates it issued in the past (expired ones) chain at their time.
    const validity = { validFrom: new Date(Date.now() - 400 * 24 * hour), validTo: new Date(Date.now() + 3650 * 24 * hour) };
    if (issuer) return new TestCa(caDir, await issuer.issue(name, { ...validity, extensions: caExtensions }));
    const root = new TestCa(caDir, { name, certPem: path.join(caDir, 'ca.pem'), keyPem: path.join(caDir, 'ca.key'), der: Buffer.alloc(0) });
    const certificate = await root.issue(name, { ...validity, extensions: caExtensions, selfSign: true });
    return new TestCa(caDir, certificate);
  }

  /** A certificate for `CN=name` this authority signs. */
  async issue(name: string, options: IssueOptions = {}): Promise<Issued> {
    const slug = options.selfSign ? 'ca' : `${name.replace(/\W+/g, '-').toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`;
    const keyPem = path.join(this.dir, `${slug}.key`);
    const csr = path.join(this.dir, `${slug}.csr`);
    const certPem = path.join(this.dir, `${slug}.pem`);
    const extFile = path.join(this.dir, `${slug}.ext`);
    await newKey(keyPem, options.keyType ?? 'ec');
    await openssl(['req', '-new', '-key', keyPem, '-out', csr, '-subj', `/CN=${name}`]);
    await writeFile(extFile, `[ ext ]\n${(options.extensions ?? ['basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,nonRepudiation']).join('\n')}\n`);
    const from = options.validFrom ?? new Date(Date.now() - hour);
    const to = options.validTo ?? new Date(Date.now() + 30 * 24 * hour);
    await openssl([
      'ca', '-batch', '-notext', '-config', path.join(this.dir, 'ca.cnf'),
      ...(options.selfSign ? ['-selfsign', '-keyfile', keyPem] : ['-cert', this.certificate.certPem, '-keyfile', this.certificate.keyPem]),
      '-in', csr, '-out', certPem, '-extfile', extFile, '-extensions', 'ext',
      '-startdate', caDate(from), '-enddate', caDate(to),
    ]);
    return { name, certPem, keyPem, der: Buffer.from(new X509Certificate(await readFile(certPem)).raw) };
  }
}

/** A self-signed certificate for `CN=name`: an impostor can make one with any name. */
export async function selfSigned(dir: string, name: string): Promise<Issued> {
  const slug = `${name.replace(/\W+/g, '-').toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`;
  const keyPem = path.join(dir, `${slug}.key`);
  const certPem = path.join(dir, `${slug}.pem`);
  await newKey(keyPem, 'rsa');
  await openssl(['req', '-x509', '-new', '-key', keyPem, '-out', certPem, '-days', '30', '-subj', `/CN=${name}`]);
  return { name, certPem, keyPem, der: Buffer.from(new X509Certificate(await readFile(certPem)).raw) };
}
