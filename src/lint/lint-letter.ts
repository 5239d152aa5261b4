import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { VFile } from 'vfile';
import type { Finding } from './finding.ts';
import { findProblems } from './find-problems.ts';
import { reportFindings } from './remark-chinese-lint.ts';

/** Parses a letter as the build does (front matter, GFM, CJK-friendly emphasis) and reports its Chinese-text findings on `file`. */
export function lintLetter(file: VFile): Finding[] {
  const tree = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkCjkFriendly).parse(file);
  const findings = findProblems(tree, String(file.value));
  reportFindings(file, findings);
  return findings;
}
