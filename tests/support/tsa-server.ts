import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseDer } from '../../src/sign/der.ts';
import { der, octets, sequence } from './der.ts';
import { openssl, TestCa, type Issued } from './test-pki.ts';

/**
 * A real RFC 3161 time-stamp authority on 127.0.0.1: OpenSSL's `openssl ts
 * -reply` answers each `application/timestamp-query` POST, with a TSA key and
 * certificate (extended key usage `critical,timeStamping`) issued by a test CA.
 * The options make it misbehave the ways a client and a verifier must notice.
 */
export interface TsaOptions {
  /**
   * The extended key usage of the certificate that signs the tokens. OpenSSL's
   * TSA refuses a certificate without `critical,timeStamping`, so for the other
   * two the token `openssl ts -reply` made is signed again by `openssl cms -sign
   * -cades` with that certificate: the same TSTInfo, from a signer no verifier
   * should accept as a time-stamp authority.
   */
  extendedKeyUsage?: 'critical,timeStamping' | 'timeStamping' | 'none';
  /**
   * When the TSA certificate becomes valid (default: an hour ago). A date after
   * now gives tokens whose time is before their authority's certificate: the
   * token's time is the machine's clock (no faketime here), so the certificate's
   * validity is moved instead; what a verifier checks is the order of the two.
   */
  validFrom?: Date;
  /** The request is rewritten before OpenSSL answers it: the reply is for another imprint, or carries another nonce. */
  tamper?: 'imprint' | 'nonce';
  /** The digests the TSA accepts (OpenSSL's `digests`): a request with another gets a real rejection (status 2, badAlg). */
  digests?: string[];
  /** Waits this long before answering (for timeouts). */
  delayMs?: number;
  /** Answers with this HTTP status and an HTML body instead of a reply. */
  httpStatus?: number;
  /** With `httpStatus` 3xx: where the redirect points. */
  location?: string;
  /**
   * The root and time-stamping certificate of another test TSA, used again
   * (making keys is most of a start's time); ignored with `validFrom`. That
   * TSA must be stopped after this one.
   */
  authority?: Authority;
}

/** A test root and the time-stamping certificate (extended key usage critical,timeStamping) it issued. */
export interface Authority {
  ca: TestCa;
  certificate: Issued;
}

export interface Tsa {
  /** Where to POST a query. */
  url: string;
  /** The folder holding ca.pem, tsa.pem (the certificate that signs the tokens) and ts.cnf. */
  dir: string;
  ca: TestCa;
  /** The certificate that signs the tokens (with `extendedKeyUsage`, not the proper one). */
  tsaCertificate: Issued;
  /** The root and the proper time-stamping certificate, for `authority`. */
  authority: Authority;
  /** The queries received, as sent (before any tamper), and the replies given. */
  exchanges: { query: Buffer; reply: Buffer }[];
  /** Resolves once the first request has arrived whole (before any delay). */
  firstRequest: Promise<void>;
  stop(): Promise<void>;
}

const tstInfoType = '1.2.840.113549.1.9.16.1.4';

/** Changes the request the way `tamper` says, keeping its shape (TimeStampReq, RFC 3161 2.4.1). */
function tamperWith(query: Buffer, tamper: TsaOptions['tamper']): Buffer {
  if (!tamper) return query;
  const fields = parseDer(query).children;
  return sequence(
    ...fields.map((field, i) => {
      if (tamper === 'imprint' && i === 1) {
        const [algorithm] = field.children;
        return sequence(algorithm?.raw ?? Buffer.alloc(0), octets(createHash('sha256').update('another document').digest()));
      }
      if (tamper === 'nonce' && i > 1 && field.tag === 0x02) return der(0x02, Buffer.from([0x01, ...field.content.subarray(1).map((b) => b ^ 0xff)]));
      return field.raw;
    }),
  );
}

/** The token's signed TSTInfo (its eContent), as OpenSSL wrote it. */
function tstInfoOf(reply: Buffer): Buffer {
  const token = parseDer(reply).children[1];
  const signedData = token?.children[1]?.children[0];
  const eContent = signedData?.children.find((c) => c.tag === 0x30 && c.children[1]?.tag === 0xa0);
  const content = eContent?.children[1]?.children[0]?.content;
  if (!content) throw new Error('the TSA reply has no TSTInfo');
  return content;
}

export async function startTsa(options: TsaOptions = {}): Promise<Tsa> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-tsa-'));
  const reused = options.validFrom ? undefined : options.authority;
  const ca = reused?.ca ?? (await TestCa.create(dir, 'Test Time-Stamp Root'));
  const eku = options.extendedKeyUsage ?? 'critical,timeStamping';
  const signerExtensions = ['basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,nonRepudiation', 'authorityKeyIdentifier = keyid'];
  // OpenSSL's TSA only signs with a proper time-stamping certificate; a broken one re-signs its tokens.
  // RSA, as most authorities sign; the root and the misconfigured signers use P-256, so both algorithms are checked.
  const tsa = reused?.certificate ?? await ca.issue('Test TSA', { extensions: [...signerExtensions, 'extendedKeyUsage = critical,timeStamping'], validFrom: options.validFrom, keyType: 'rsa' });
  const signer = eku === 'critical,timeStamping'
    ? tsa
    : await ca.issue('Test TSA', { extensions: eku === 'none' ? signerExtensions : [...signerExtensions, `extendedKeyUsage = ${eku}`], validFrom: options.validFrom });
  await writeFile(path.join(dir, 'ca.pem'), await readFile(ca.certificate.certPem));
  await writeFile(path.join(dir, 'tsa.pem'), await readFile(signer.certPem));
  await writeFile(path.join(dir, 'serial'), '01\n');
  const config = path.join(dir, 'ts.cnf');
  await writeFile(
    config,
    [
      '[ tsa ]',
      'default_tsa = test_tsa',
      '[ test_tsa ]',
      `dir = ${dir}`,
      'serial = $dir/serial',
      `signer_cert = ${tsa.certPem}`,
      `signer_key = ${tsa.keyPem}`,
      'certs = $dir/ca.pem',
      'signer_digest = sha256',
      'default_policy = 1.3.6.1.4.1.99999.1',
      `digests = ${(options.digests ?? ['sha256', 'sha384', 'sha512']).join(', ')}`,
      'accuracy = secs:1',
      'ordering = no',
      'tsa_name = no',
      'ess_cert_id_chain = no',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );

  const exchanges: Tsa['exchanges'] = [];
  let queue: Promise<unknown> = Promise.resolve();
  let counter = 0;
  /** One `openssl ts -reply` at a time: each one advances the serial file. */
  const answer = (query: Buffer): Promise<Buffer> => {
    const next = queue.then(async () => {
      const n = ++counter;
      const queryFile = path.join(dir, `query-${n}.tsq`);
      const replyFile = path.join(dir, `reply-${n}.tsr`);
      await writeFile(queryFile, tamperWith(query, options.tamper));
      await openssl(['ts', '-reply', '-config', config, '-queryfile', queryFile, '-out', replyFile]);
      const reply = await readFile(replyFile);
      if (signer === tsa || parseDer(reply).children.length < 2) return reply;
      const tstFile = path.join(dir, `tst-${n}.der`);
      const tokenFile = path.join(dir, `token-${n}.der`);
      await writeFile(tstFile, tstInfoOf(reply));
      await openssl(['cms', '-sign', '-binary', '-nodetach', '-cades', '-nosmimecap', '-md', 'sha256', '-econtent_type', tstInfoType, '-in', tstFile, '-signer', signer.certPem, '-inkey', signer.keyPem, '-certfile', ca.certificate.certPem, '-outform', 'DER', '-out', tokenFile]);
      // TimeStampResp { status PKIStatusInfo { granted }, timeStampToken }
      return sequence(sequence(der(0x02, Buffer.from([0]))), await readFile(tokenFile));
    });
    queue = next.catch(() => undefined);
    return next;
  };

  const timers = new Set<NodeJS.Timeout>();
  let arrived: () => void = () => undefined;
  const firstRequest = new Promise<void>((resolve) => (arrived = resolve));
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      arrived();
      const reply = async (): Promise<void> => {
        const query = Buffer.concat(chunks);
        if (options.httpStatus) {
          response.writeHead(options.httpStatus, { 'content-type': 'text/html', ...(options.location ? { location: options.location } : {}) }).end('<h1>unavailable</h1>');
          return;
        }
        if (request.method !== 'POST' || request.headers['content-type'] !== 'application/timestamp-query') {
          response.writeHead(400).end();
          return;
        }
        const body = await answer(query);
        exchanges.push({ query, reply: body });
        response.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': body.length }).end(body);
      };
      const go = (): void => void reply().catch((error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(error.message));
      if (options.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          go();
        }, options.delayMs);
        timers.add(timer);
      } else go();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    dir,
    ca,
    tsaCertificate: signer,
    authority: { ca, certificate: tsa },
    exchanges,
    firstRequest,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs a query made elsewhere (`openssl ts -query`) and resolves with the reply's bytes. */
export async function postQuery(url: string, query: Buffer): Promise<Buffer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: new Uint8Array(query) });
  if (!response.ok) throw new Error(`the test TSA answered HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** A URL on 127.0.0.1 where nothing listens: the port was just free, and connecting is refused. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/tsa`;
}
