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
