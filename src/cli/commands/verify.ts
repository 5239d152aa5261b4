import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ArchiveError, displayPath } from '../../archive/layout.ts';
import { chainHeads, rebuildVersion, verifyArchive } from '../../archive/verify-archive.ts';
import { withBrowser } from '../../chromium/browser.ts';
import { proveSignature, type SignatureProof, type TrustAnchors } from '../../sign/signature-proof.ts';
import { readCertificates } from '../../sign/trust.ts';
import { verifySignatures, type SignatureReport } from '../../sign/verify-signatures.ts';
import type { CommandContext, ParsedArgs } from '../command.ts';
import { UsageError } from '../../common/errors.ts';
import { defaultArchiveDir, recoverOutputFolder } from '../output-checks.ts';

export async function run({ values, positionals }: ParsedArgs, { cwd, log, print }: CommandContext): Promise<void> {
  if (positionals.length > 0) {
    if (values.rebuild || !positionals.every((p) => p.toLowerCase().endsWith('.pdf'))) throw new UsageError(`verify takes PDF files to check their signatures, or no file names (got ${positionals.join(' ')})`);
    return verifySignedFiles(positionals, cwd, print, { signers: await certificates(values.trust, cwd), authorities: await certificates(values['trust-tsa'], cwd) });
  }
  if (values.trust !== undefined || values['trust-tsa'] !== undefined) throw new UsageError('--trust and --trust-tsa check the signatures of PDF files: name the files (letterpress verify FILE.pdf --trust CERT)');
  const archiveDir = path.resolve(cwd, String(values.archive));
  const show = (rel: string): string => displayPath(cwd, path.join(archiveDir, rel));
  const report = await verifyArchive(archiveDir);
  for (const f of report.findings) print(`${f.kind.padEnd(9)}  ${show(f.file)}: ${f.detail}\n`);
  for (const s of report.signatures) if (s.report.valid) print(`${'signed'.padEnd(9)}  ${show(s.file)}: ${describe(s.report)}\n`);
  let failures = report.findings.length;
  if (failures === 0) {
    print(`ok         ${report.versionCount} version(s), ${report.fileCount} file(s) match their manifests, every chain holds\n`);
    // Each letter's newest manifest seals its history: the hash to compare with an outside record (git, a signature).
    for (const head of chainHeads(report.entries)) print(`head       ${head.version.rel}: manifest sha256 ${head.manifestSha256}\n`);
    // The newest anchor: the history up to it existed, as it is, at that time.
    const latest = [...report.anchors].sort((a, b) => a.time.getTime() - b.time.getTime()).at(-1);
    if (latest) print(`anchored   ${report.anchors.length} version(s) time-stamped; the latest, ${latest.rel}, at ${iso(latest.time)} by ${latest.authority}\n`);
  }

  if (values.rebuild && report.entries.length > 0) {
    // One Chromium for every version's rebuild.
    await withBrowser(async (browser) => {
      for (const entry of report.entries) {
        const r = await rebuildVersion(entry, browser, log);
        const identical = r.pdfIdentical && r.htmlIdentical;
        if (!identical) failures++;
        const parts = [`PDF ${r.pdfIdentical ? 'byte-identical' : 'differs'}`, `HTML ${r.htmlIdentical ? 'byte-identical' : 'differs'}`];
        print(`${identical ? 'rebuilt' : 'differs'}    ${show(r.rel)}: ${parts.join(', ')}${!identical && r.toolchain ? ` (${r.toolchain})` : ''}\n`);
      }
    });
  }
  if (failures > 0) throw new ArchiveError(`the archive does not verify: ${failures} problem(s)`);
}

/** `verify FILE.pdf…`: each signature of each file, with its signer; fails if any is broken or a file has none. */
async function verifySignedFiles(files: string[], cwd: string, print: (text: string) => void, anchors: TrustAnchors): Promise<void> {
  let failures = 0;
  // A file may be a build's output: what a killed build left beside it is completed first.
  for (const dir of new Set(files.map((file) => path.dirname(path.resolve(cwd, file))))) await recoverOutputFolder(dir);
  for (const file of files) {
    const pdf = await readFile(path.resolve(cwd, file)).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${file} (${error.code ?? error.message})`);
    });
    const reports = verifySignatures(pdf);
    if (reports.length === 0) {
      failures++;
      print(`unsigned   ${file}: no signature\n`);
    }
    for (const report of reports) {
      const proof = proveSignature(report, anchors);
      const ok = report.valid && proof.holds;
      if (!ok) failures++;
      const status = !report.valid ? (report.intact && report.modifications.length > 0 ? 'MODIFIED' : 'INVALID') : proof.holds ? (proof.trust ? 'trusted' : 'valid') : proof.trust && !proof.trust.trusted ? 'UNTRUSTED' : 'INVALID';
      const problems = [...report.problems, ...(proof.timestamp?.problems ?? []).map((p) => `time-stamp: ${p}`)];
      print(`${status.padEnd(9)}  ${file}: ${describe(report, proof)}${problems.length > 0 ? ` — ${problems.join('; ')}` : ''}\n`);
    }
  }
  if (failures > 0) throw new ArchiveError(`${failures} signature problem(s)`);
}

/** The certificates of each `--trust FILE` (PEM or DER). */
async function certificates(files: ParsedArgs['values'][string], cwd: string): Promise<Buffer[]> {
  const list = Array.isArray(files) ? files : [];
  return (await Promise.all(list.map((file) => readCertificates(path.resolve(cwd, file))))).flat();
}

const iso = (date: Date): string => date.toISOString().replace(/\.\d+Z$/, ' UTC').replace('T', ' ');

/** What a signature says of itself; each phrase only when it is true. */
function describe(report: SignatureReport, proof?: SignatureProof): string {
  const untrusted = report.selfSigned ? 'self-signed certificate, trust not established (use --trust CERT)' : `issued by ${report.issuer ?? '?'}, trust not established (use --trust CERT)`;
  const trust = proof?.trust ? (proof.trust.trusted ? `trusted: ${proof.trust.reason}` : `not trusted: ${proof.trust.reason}`) : untrusted;
  const stamp = proof?.timestamp;
  const stamped = stamp
    ? `time-stamped ${stamp.time ? iso(stamp.time) : '?'} by ${stamp.tsaCertificate?.subject ?? '?'} (SHA-256 ${stamp.tsaCertificate?.fingerprint ?? '?'})${stamp.trust ? (stamp.trust.trusted ? ', a trusted authority' : `, an authority not trusted: ${stamp.trust.reason}`) : ''}`
    : undefined;
  const when = report.time ? `, ${report.time.replace(/^D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d).*/, '$1-$2-$3 $4:$5:$6 UTC')}` : '';
  const extra = [report.reason && `reason: ${report.reason}`, report.location && `location: ${report.location}`].filter(Boolean).join(', ');
  const parts = report.signer
    ? [
        `signed by ${report.signer} (${report.subject ?? '?'})${when}${extra ? `, ${extra}` : ''}`,
        report.subFilter,
        report.certification !== undefined ? `certification signature (DocMDP P=${report.certification}${report.certification === 2 ? ': only form filling and further signatures allowed' : ''})` : 'approval signature',
        report.intact ? 'byte range covers all but its /Contents' : undefined,
        report.fingerprint ? `certificate SHA-256 ${report.fingerprint}` : undefined,
        stamped ?? 'no time-stamp: the time is the signer’s own claim',
        trust,
      ]
    : [report.field ? `signature field ${report.field}` : 'no signature can be read'];
  return parts.filter(Boolean).join('; ');
}
