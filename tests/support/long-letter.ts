import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from './run-cli.ts';

export const memoSource = path.join(projectRoot, 'content/2023-12-llm-observations.md');

/**
 * The memo repeated `rounds` times with distinct headings (`## 第 k 轮 · I. 闭源模型`,
 * each with a `###` under it), so the TOC spans pages. Shared by the TOC tests and the benchmark.
 */
export async function longLetter(rounds: number): Promise<string> {
  const memo = await readFile(memoSource, 'utf8');
  const [, frontMatter, body] = memo.split(/^---$/m) as [string, string, string];
  const repeated = Array.from({ length: rounds }, (_, r) =>
    body.replace(/^## (.+)$/gm, (_, h: string) => `## 第 ${r + 1} 轮 · ${h}\n\n### 第 ${r + 1} 轮 · ${h} · 要点`),
  ).join('\n');
  return `---${frontMatter}---${repeated}`;
}

/**
 * The memo repeated `rounds` times, the typesetting fixture (English, code,
 * formulas, symbols), and 2,500 distinct Han characters: every kind of
 * content a letter holds (nine rounds make about 90 KB).
 */
export async function richLetter(rounds: number): Promise<string> {
  const fixture = await readFile(path.join(projectRoot, 'tests/fixtures/typesetting/input.md'), 'utf8');
  const [, , fixtureBody = ''] = fixture.split(/^---$/m);
  const han = Array.from({ length: 2500 }, (_, i) => String.fromCodePoint(0x4e00 + i * 3));
  const paragraphs = Array.from({ length: han.length / 50 }, (_, i) => han.slice(i * 50, i * 50 + 50).join(''));
  return `${await longLetter(rounds)}\n${fixtureBody}\n## 附录 · 字表\n\n${paragraphs.join('\n\n')}\n`;
}
