import path from 'node:path';
import { ArchiveError, displayPath } from '../../archive/layout.ts';
import { chainHeads, rebuildVersion, verifyArchive } from '../../archive/verify-archive.ts';
import { withBrowser } from '../../pdf/browser.ts';
import type { CommandContext } from '../command.ts';
import { UsageError } from '../../errors.ts';
import { defaultArchiveDir } from '../output-checks.ts';
import { parseOptions } from '../parse-args.ts';

export async function run(args: string[], { cwd, log, print }: CommandContext): Promise<void> {
  const { values, positionals } = parseOptions(args, {
    archive: { type: 'string', default: defaultArchiveDir },
    rebuild: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`verify takes no file names (got ${positionals.join(' ')})`);
  const archiveDir = path.resolve(cwd, String(values.archive));
  const show = (rel: string): string => displayPath(cwd, path.join(archiveDir, rel));
  const report = await verifyArchive(archiveDir);
  for (const f of report.findings) print(`${f.kind.padEnd(9)}  ${show(f.file)}: ${f.detail}\n`);
  let failures = report.findings.length;
  if (failures === 0) {
    print(`ok         ${report.versionCount} version(s), ${report.fileCount} file(s) match their manifests, every chain holds\n`);
    // Each letter's newest manifest seals its history: the hash to compare with an outside record (git, a signature).
    for (const head of chainHeads(report.entries)) print(`head       ${head.version.rel}: manifest sha256 ${head.manifestSha256}\n`);
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
