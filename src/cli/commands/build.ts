import path from 'node:path';
import { reporter } from 'vfile-reporter';
import { UsageError } from '../../errors.ts';
import { defaultLetterPaths } from '../../load/load-letters.ts';
import { startBrowser } from '../../pdf/browser.ts';
import type { CommandContext } from '../command.ts';
import { refuseOutputInArchive, refuseSameOutputName } from '../output-checks.ts';
import { paperOption, parseOptions, profileOption, sourceDateEpoch } from '../parse-args.ts';

export async function run(args: string[], { cwd, env, log }: CommandContext): Promise<void> {
  const { values, positionals } = parseOptions(args, {
    out: { type: 'string', default: 'dist' },
    paper: { type: 'string', default: 'a4' },
    profile: { type: 'string', default: 'pdf' },
    'html-only': { type: 'boolean', default: false },
    pdfx: { type: 'boolean', default: false },
  });
  const profile = profileOption(values.profile);
  if (values.pdfx && profile !== 'print') throw new UsageError('--pdfx goes with --profile print');
  const paths = positionals.length > 0 ? positionals : await defaultLetterPaths(path.join(cwd, 'content'));
  if (paths.length === 0) throw new UsageError('no letters: content/ has no .md file and none was named');
  refuseSameOutputName(paths);
  await refuseOutputInArchive(String(values.out), cwd);
  const epoch = sourceDateEpoch(env);
  // Chromium starts before the pipeline's modules load, so its launch overlaps their loading too.
  const browser = values['html-only'] ? undefined : startBrowser();
  try {
    const { buildLetters } = await import('../../build/build-letters.ts');
    const { files } = await buildLetters({
      browser,
      paths,
      cwd,
      outDir: path.resolve(cwd, String(values.out)),
      page: { paper: paperOption(values.paper), profile },
      sourceDateEpoch: epoch,
      pdfx: Boolean(values.pdfx),
      log,
    });
    const warnings = reporter(files, { quiet: true });
    if (warnings) process.stderr.write(`${warnings}\n`);
  } finally {
    await browser?.close();
  }
}
