import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.ts';
import { helpText, listedOptions, optionFlag, usageLine } from '../../src/cli/help-text.ts';
import { projectRoot } from '../support/run-cli.ts';

const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
const reference = readFileSync(path.join(projectRoot, 'docs/reference.md'), 'utf8');

/** The README's CLI summary: the code block after its `cli-summary` marker. */
function readmeSummary(text: string): string[] {
  const block = /<!-- cli-summary[^>]*-->\n```\n([\s\S]*?)\n```/.exec(text)?.[1];
  return block === undefined ? [] : block.split('\n');
}

/** Each `## <command>` section of the reference: its usage lines (code blocks) and its options (first cells of table rows). */
function referenceSections(text: string): Map<string, { usage: string[]; options: string[] }> {
  const sections = new Map<string, { usage: string[]; options: string[] }>();
  for (const [, name, body = ''] of text.matchAll(/^## (\S+)\n([\s\S]*?)(?=^## |(?![\s\S]))/gm)) {
    const usage = [...body.matchAll(/^```\n([\s\S]*?)\n```/gm)].flatMap((m) => (m[1] ?? '').split('\n')).filter((l) => l.startsWith('letterpress '));
    const options = [...body.matchAll(/^\| `(--[^`]+)` \|/gm)].map((m) => (m[1] ?? '').replaceAll('\\|', '|'));
    sections.set(name ?? '', { usage, options });
  }
  return sections;
}

describe('--help, the README and docs/reference.md', () => {
  it('the README’s summary is exactly the usage lines of --help', () => {
    const help = helpText(commands);
    const summary = readmeSummary(readme);
    expect(summary).toEqual(commands.map(usageLine));
    for (const line of summary) expect(help).toContain(`  ${line}\n`);
  });

  it('the reference has a section per command with its usage line and exactly the options --help lists, each once', () => {
    const sections = referenceSections(reference);
    for (const command of commands) {
      const section = sections.get(command.name);
      expect(section, `docs/reference.md has no "## ${command.name}"`).toBeDefined();
      expect(section?.usage, command.name).toEqual([usageLine(command)]);
      expect(section?.options, command.name).toEqual(listedOptions(command).map(optionFlag));
    }
  });

  it('finds a disagreement when there is one (the check can fail)', () => {
    const build = commands.find((c) => c.name === 'build')!;
    const changed = { ...build, options: [...build.options, { name: 'new-flag', help: 'a flag the docs do not know' }] };
    expect(referenceSections(reference).get('build')?.options).not.toEqual(listedOptions(changed).map(optionFlag));
    expect(readmeSummary(readme)).not.toContain(usageLine(changed));
    expect(readmeSummary(readme.replace('letterpress doctor\n', ''))).not.toEqual(commands.map(usageLine));
  });
});
