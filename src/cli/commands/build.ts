import path from 'node:path';
import { reporter } from 'vfile-reporter';
import { startBrowser } from '../../pdf/browser.ts';
import { defaultLetterPaths } from '../../load/load-letters.ts';
import type { Command } from '../command.ts';
import { paperOption, parseOptions, profileOption, UsageError } from '../parse-args.ts';

export const buildCommand: Command = {
  name: 'build',
  usage: ['build [files…] [--out DIR] [--paper a4|letter] [--profile pdf|print [--pdfx]] [--pdfa] [--html-only]'],
  summary: 'build each letter (default: every content/*.md) into DIR',
  options: [
    ['--out DIR', 'output folder (default: dist)'],
    ['--paper SIZE', 'a4 (default) or letter'],
    ['--profile NAME', 'pdf (default), or print: mirrored margins, 3 mm bleed, crop marks, even pages'],
    ['--pdfx', 'with --profile print: also write <name>.pdfx.pdf (PDF/X-3, Ghostscript)'],
    ['--pdfa', 'make <name>.pdf PDF/A-3, carrying its Markdown source, images and build record'],
    ['--html-only', 'write the HTML only, do not print the PDF'],
  ],
  async run(args, { cwd, log }) {
    const { values, positionals } = parseOptions(args, {
      out: { type: 'string', default: 'dist' },
      paper: { type: 'string', default: 'a4' },
      profile: { type: 'string', default: 'pdf' },
      'html-only': { type: 'boolean', default: false },
      pdfx: { type: 'boolean', default: false },
      pdfa: { type: 'boolean', default: false },
    });
    const profile = profileOption(values.profile);
    if (values.pdfx && profile !== 'print') throw new UsageError('--pdfx goes with --profile print');
    // The printer's crop marks are DeviceCMYK, which PDF/A's sRGB output intent does not allow.
    if (values.pdfa && profile !== 'pdf') throw new UsageError('--pdfa goes with --profile pdf (for the printer, use --profile print --pdfx)');
    const paths = positionals.length > 0 ? positionals : await defaultLetterPaths(path.join(cwd, 'content'));
    if (paths.length === 0) throw new UsageError('no letters: content/ has no .md file and none was named');
    const htmlOnly = Boolean(values['html-only']);
    const page = { paper: paperOption(values.paper), profile };
    // Chromium starts before the pipeline's modules load, so its launch overlaps their loading too.
    const browser = htmlOnly ? undefined : startBrowser();
    try {
      const { buildLetters } = await import('../../build/build-letters.ts');
      const { files } = await buildLetters({
        browser,
        paths,
        cwd,
        outDir: path.resolve(cwd, String(values.out)),
        page,
        pdfx: Boolean(values.pdfx),
        pdfa: Boolean(values.pdfa),
        htmlOnly,
        log,
      });
      const warnings = reporter(files, { quiet: true });
      if (warnings) process.stderr.write(`${warnings}\n`);
    } finally {
      await browser?.close();
    }
  },
};
