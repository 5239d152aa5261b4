import path from 'node:path';
import { VFile } from 'vfile';
import { reporter } from 'vfile-reporter';
import { UsageError } from '../../common/errors.ts';
import { applyFixes } from '../../lint/apply-fixes.ts';
import { LintFailure } from '../../lint/lint-failure.ts';
import { lintLetter } from '../../markdown/lint-letter.ts';
import { defaultLetterPaths, loadLetters } from '../../load/load-letters.ts';
import { readToReplace, replaceFile } from '../../write/replace-file.ts';
import type { CommandContext, ParsedArgs } from '../command.ts';

export async function run({ values, positionals }: ParsedArgs, { cwd, log, print }: CommandContext): Promise<void> {
  const paths = positionals.length > 0 ? positionals : await defaultLetterPaths(path.join(cwd, 'content'));
  if (paths.length === 0) throw new UsageError('no letters: content/ has no .md file and none was named');
  let files = await loadLetters(paths, cwd);
  if (values.fix) {
    for (const file of files) {
      if (file.messages.some((m) => m.fatal)) continue;
      // The fixes apply to the file's exact text: loading normalises a BOM and CRLF line ends, which --fix must keep.
      const read = await readToReplace(path.resolve(cwd, file.path), file.path, cwd);
      const raw = read.bytes.toString('utf8');
      const { text, applied } = applyFixes(raw, lintLetter(new VFile({ path: file.path, value: raw })));
      if (applied.length === 0) continue;
      await replaceFile(read, text);
      log(`lint      ${file.path}: ${applied.length} fix(es) applied`);
    }
    // What is left is reported from the files as they now are.
    files = await loadLetters(paths, cwd);
  }
  for (const file of files) lintLetter(file);
  const report = reporter(files, { quiet: true });
  if (report) process.stderr.write(`${report}\n`);
  const errors = files.flatMap((file) => file.messages.filter((m) => m.fatal).map((m) => `${file.path}:${m.line ?? 1}:${m.column ?? 1}`));
  if (errors.length > 0) throw new LintFailure(`${errors.length} error(s) in the text; first at ${errors[0]}`);
  if (files.every((file) => file.messages.length === 0)) {
    print(`clean      ${files.length === 1 ? files[0]?.path : `${files.length} letters`}: no error, no warning\n`);
  }
}
