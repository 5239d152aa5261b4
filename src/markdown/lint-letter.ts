import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { markdownReader } from './markdown-syntax.ts';
import type { Finding } from '../lint/finding.ts';
import { findProblems } from '../lint/find-problems.ts';
import { reportFindings } from '../lint/remark-chinese-lint.ts';

const reader = markdownReader().freeze();

/** Parses a letter as the build does (front matter, GFM, CJK-friendly emphasis, formulas) and reports its Chinese-text findings on `file`. */
export function lintLetter(file: VFile): Finding[] {
  const tree = reader.parse(file) as Root;
  const findings = findProblems(tree, String(file.value));
  reportFindings(file, findings);
  return findings;
}
