import path from 'node:path';
import { distributeLetter } from '../../distribute/distribute-letter.ts';
import type { Command } from '../command.ts';
import { paperOption, parseOptions, UsageError } from '../parse-args.ts';

export const distributeCommand: Command = {
  name: 'distribute',
  usage: ['distribute <letter.md> --recipients FILE.csv [--out DIR] [--paper a4|letter] [--encrypt --passwords FILE]'],
  summary: 'one personalised PDF per LP (CSV: id,name[,email]) from one print of the letter',
  options: [
    ['--recipients FILE', 'UTF-8 CSV with the header id,name[,email]'],
    ['--out DIR', 'folder of copies (default: dist/<letter>-copies)'],
    ['--encrypt', 'encrypt each copy (AES-256, qpdf) with its own password'],
    ['--passwords FILE', 'where the passwords go, outside DIR'],
  ],
  async run(args, { cwd, log }) {
    const { values, positionals } = parseOptions(args, {
      recipients: { type: 'string' },
      out: { type: 'string' },
      paper: { type: 'string', default: 'a4' },
      encrypt: { type: 'boolean', default: false },
      passwords: { type: 'string' },
    });
    const { recipients, passwords } = values;
    const [letter, ...extra] = positionals;
    if (!letter || extra.length > 0) throw new UsageError('distribute takes exactly one letter');
    if (typeof recipients !== 'string') throw new UsageError('distribute needs --recipients FILE.csv');
    if (values.encrypt !== (typeof passwords === 'string')) throw new UsageError('--encrypt and --passwords FILE go together');
    const out = typeof values.out === 'string' ? values.out : path.join('dist', `${path.basename(letter, '.md')}-copies`);
    await distributeLetter({
      letter,
      recipients,
      cwd,
      outDir: path.resolve(cwd, out),
      paper: paperOption(values.paper),
      passwordsFile: typeof passwords === 'string' ? path.resolve(cwd, passwords) : undefined,
      log,
      progressStream: process.stderr,
    });
  },
};
