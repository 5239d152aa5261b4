import path from 'node:path';
import { reporter } from 'vfile-reporter';
import { UsageError } from '../../common/errors.ts';
import { startBrowser } from '../../chromium/browser.ts';
import type { CommandContext, ParsedArgs } from '../command.ts';
import { prepareOutputFolder, recoverOutputFolder, refuseOutputInArchive, refuseSameOutputName } from '../output-checks.ts';
import { houseStyleOption, letterPaths, outputConditionOption, paperOption, profileOption, sourceDateEpoch } from '../parse-args.ts';

export async function run({ values, positionals }: ParsedArgs, { cwd, env, log, signal }: CommandContext): Promise<void> {
  const profile = profileOption(values.profile);
  // A house style with problems stops the build before anything is made.
  const house = await houseStyleOption(values.config, cwd);
  const paper = paperOption(values.paper, house);
  if (values.pdfx && profile !== 'print') throw new UsageError('--pdfx goes with --profile print');
  if (values['output-condition'] !== undefined && !values.pdfx) throw new UsageError('--output-condition goes with --pdfx');
  const outputCondition = values['output-condition'] === undefined ? undefined : outputConditionOption(values['output-condition']);
  // The printer's crop marks are DeviceCMYK, which PDF/A's sRGB output intent does not allow.
  if (values.pdfa && profile !== 'pdf') throw new UsageError('--pdfa goes with --profile pdf (for the printer, use --profile print --pdfx)');
  // Ghostscript is checked before anything is printed: a missing one would otherwise fail only after the whole print.
  if (values.pdfx) await (await import('../../postprocess/convert-pdfx.ts')).checkGhostscript();
  const paths = await letterPaths(positionals, cwd);
  refuseSameOutputName(paths);
  await refuseOutputInArchive(String(values.out), cwd);
  await prepareOutputFolder(path.resolve(cwd, String(values.out)));
  // A build killed while writing left the folder mixed: completed (or refused) before anything else reads or writes it.
  await recoverOutputFolder(path.resolve(cwd, String(values.out)));
  const epoch = sourceDateEpoch(env);
  // Chromium starts before the pipeline's modules load, so its launch overlaps their loading too.
  const browser = values['html-only'] ? undefined : startBrowser();
  try {
    const { buildLetters } = await import('../../pipeline/build-letters.ts');
    const { files } = await buildLetters({
      browser,
      paths,
      cwd,
      outDir: path.resolve(cwd, String(values.out)),
      page: { paper, profile },
      house,
      sourceDateEpoch: epoch,
      signal,
      pdfx: Boolean(values.pdfx),
      pdfa: Boolean(values.pdfa),
      outputCondition,
      assetsDir: values.assets === undefined ? undefined : String(values.assets),
      log,
    });
    const warnings = reporter(files, { quiet: true });
    if (warnings) process.stderr.write(`${warnings}\n`);
  } finally {
    await browser?.close();
  }
}
