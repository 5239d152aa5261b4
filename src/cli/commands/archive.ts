import path from 'node:path';
import { archiveLetters } from '../../archive/archive-letter.ts';
import { displayPath } from '../../archive/layout.ts';
import { defaultLetterPaths } from '../../load/load-letters.ts';
import { keyPassword, readSigningKey } from '../../sign/signing-key.ts';
import type { Command } from '../command.ts';
import { paperOption, parseOptions, profileOption, UsageError } from '../parse-args.ts';

export const archiveCommand: Command = {
  name: 'archive',
  usage: ['archive [files…] [--archive DIR] [--paper a4|letter] [--profile pdf|print] [--sign KEY.p12 [--password-file FILE]]'],
  summary: 'build each letter and store it as a new dated version, unless unchanged',
  options: [
    ['--archive DIR', 'the archive (default: dist/archive)'],
    ['--sign KEY.p12', 'sign each new version’s PDF (password: LETTERPRESS_KEY_PASSWORD or --password-file)'],
  ],
  async run(args, { cwd, log, print }) {
    const { values, positionals } = parseOptions(args, {
      archive: { type: 'string', default: 'dist/archive' },
      paper: { type: 'string', default: 'a4' },
      profile: { type: 'string', default: 'pdf' },
      sign: { type: 'string' },
      'password-file': { type: 'string' },
    });
    const paths = positionals.length > 0 ? positionals : await defaultLetterPaths(path.join(cwd, 'content'));
    if (paths.length === 0) throw new UsageError('no letters: content/ has no .md file and none was named');
    const archiveDir = path.resolve(cwd, String(values.archive));
    const passwordFile = typeof values['password-file'] === 'string' ? path.resolve(cwd, values['password-file']) : undefined;
    // The key is read (and its password checked) before anything is built.
    const key = typeof values.sign === 'string' ? await readSigningKey(path.resolve(cwd, values.sign), await keyPassword(passwordFile)) : undefined;
    const results = await archiveLetters({
      paths,
      cwd,
      archiveDir,
      page: { paper: paperOption(values.paper), profile: profileOption(values.profile) },
      sign: key && { key, reason: 'archived as sent' },
      log,
    });
    for (const r of results) {
      const where = displayPath(cwd, path.join(archiveDir, r.rel));
      print(r.added ? `added      ${where}\n` : `unchanged  ${where} (${r.sourcePath} is identical; nothing written)\n`);
    }
  },
};
