import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Heading, Root, Table } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { exitCodeFor, exitCodes, InterruptedError, UsageError } from '../../src/common/errors.ts';
import { projectRoot } from '../support/run-cli.ts';

/** The rows of the table under `## Exit codes` in docs/reference.md, each cell as its Markdown source. */
async function documentedExitCodes(): Promise<string[][]> {
  const source = await readFile(path.join(projectRoot, 'docs/reference.md'), 'utf8');
  const tree = unified().use(remarkParse).use(remarkGfm).parse(source) as Root;
  const at = tree.children.findIndex((node) => node.type === 'heading' && (node as Heading).children.some((c) => c.type === 'text' && c.value === 'Exit codes'));
  const table = tree.children.slice(at + 1).find((node): node is Table => node.type === 'table');
  if (at < 0 || !table) throw new Error('docs/reference.md has no table under `## Exit codes`');
  const cellSource = (cell: Table['children'][number]['children'][number]): string => {
    const [first, last] = [cell.children[0], cell.children.at(-1)];
    return first?.position && last?.position ? source.slice(first.position.start.offset, last.position.end.offset) : '';
  };
  return table.children.slice(1).map((row) => row.children.map(cellSource));
}

describe('the exit codes', () => {
  it('are those of docs/reference.md, with the same meanings, in the same order', async () => {
    const documented = await documentedExitCodes();
    expect(documented.length).toBeGreaterThan(5);
    expect(documented).toEqual(Object.values(exitCodes).map((e) => [`\`${e.code}\``, e.meaning]));
  });

  it('are each declared once', () => {
    const codes = Object.values(exitCodes).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('are what the errors carry, and 70 for anything else (a bug)', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(exitCodes.usage.code);
    expect(exitCodeFor(new InterruptedError())).toBe(130);
    expect(exitCodeFor(new Error('x'))).toBe(70);
  });
});
