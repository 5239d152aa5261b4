import { describe, expect, it } from 'vitest';
import { findCommand } from '../../src/cli/commands/index.ts';
import { parseCommandArgs } from '../../src/cli/parse-args.ts';

const command = (name: string) => findCommand(name) ?? (undefined as never);
const failure = (name: string, args: string[]): string => {
  try {
    parseCommandArgs(command(name), args);
  } catch (error) {
    return (error as Error).message;
  }
  return 'parsed';
};

describe('parseCommandArgs: the parser made from a command’s declaration', () => {
  it('gives the declared defaults, strings for options with a value and booleans for switches', () => {
    const { values, positionals } = parseCommandArgs(command('build'), ['a.md', '--pdfa', '--out', 'x']);
    expect(positionals).toEqual(['a.md']);
    expect(values).toMatchObject({ out: 'x', profile: 'pdf', pdfa: true, pdfx: false, 'html-only': false });
    // The paper's default is the house style's, chosen when the command runs.
    expect(values.paper).toBeUndefined();
    expect(values.assets).toBeUndefined();
  });

  it('refuses a password on the command line before anything else, even a missing required option', () => {
    expect(failure('sign', ['x.pdf', '--password', 'secret'])).toBe('never put a password on the command line: set LETTERPRESS_KEY_PASSWORD or use --password-file FILE');
  });

  it('names a missing required option, an empty value and an unknown option with the command’s help', () => {
    expect(failure('sign', ['x.pdf'])).toBe('sign needs --key KEY.p12');
    expect(failure('distribute', ['a.md'])).toBe('distribute needs --recipients FILE.csv');
    expect(failure('build', ['--out', ''])).toBe('--out is empty: give it a value');
    expect(failure('build', ['--outt', 'x'])).toBe('unknown option `--outt`; `letterpress build --help` lists its options');
    expect(failure('lint', ['--fix', '--port', '1'])).toBe('unknown option `--port`; `letterpress lint --help` lists its options');
  });
});
