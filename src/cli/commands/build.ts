import path from 'node:path';
import { reporter } from 'vfile-reporter';
import { UsageError } from '../../errors.ts';
import { startBrowser } from '../../pdf/browser.ts';
import type { CommandContext } from '../command.ts';
import { prepareOutputFolder, refuseOutputInArchive, refuseSameOutputName } from '../output-checks.ts';
import { letterPaths, outputConditionOption, paperOption, parseOptions, profileOption, sourceDateEpoch } from '../parse-args.ts';

export async function run(args: string[], { cwd, env, log, signal }: CommandContext): Promise<void> {
  const { values, positionals } = parseOptions(args, {
    out: { type: 'string', default: 'dist' },
    paper: { type: 'string', default: 'a4' },
    profile: { type: 'string', default: 'pdf' },
    'html-only': { type: 'boolean', default: false },
    pdfx: { type: 'boolean', default: false },
    'output-condition': { type: 'string' },
    pdfa: { type: 'boolean', default: false },
    assets: { type: 'string' },
  });
  const profile = profileOption(values.profile);
  if (values.pdfx && profile !== 'print') throw new UsageError('--pdfx goes with --profile print');
  if (values['output-condition'] !== undefined && !values.pdfx) throw new UsageError('--output-condition goes with --pdfx');
  const outputCondition = values['output-condition'] === undefined ? undefined : outputConditionOption(values['output-condition']);
  // The printer's crop marks are DeviceCMYK, which PDF/A's sRGB output intent does not allow.
  if (values.pdfa && profile !== 'pdf') throw new UsageError('--pdfa goes with --profile pdf (for the printer, use --profile print --pdfx)');
  const paths = await letterPaths(positionals, cwd);
  refuseSameOutputName(paths);
  await refuseOutputInArchive(String(values.out), cwd);
  await prepareOutputFolder(path.resolve(cwd, String(values.out)));
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
      signal,
      pdfx: Boolean(values.pdfx),
      outputCondition,
      pdfa: Boolean(values.pdfa),
      assetsDir: values.assets === undefined ? undefined : String(values.assets),
      log,
    });
    const warnings = reporter(files, { quiet: true });
    if (warnings) process.stderr.write(`${warnings}\n`);
  } finally {
    await browser?.close();
  }
}
