import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import remarkParse from 'remark-parse';
import { type Plugin, unified } from 'unified';

/** One plugin that decides how Markdown is read: its package, the plugin, its options. */
type SyntaxPlugin = readonly [name: string, plugin: Plugin<never[]>, options?: unknown];

/**
 * The plugins that decide how a letter's Markdown is read, in order; the rest
 * of the processor only transforms the tree. Named by package so the worker
 * parse (parse-in-worker.ts) loads exactly these: both parse alike.
 */
export const markdownSyntax: readonly SyntaxPlugin[] = [
  ['remark-parse', remarkParse as Plugin<never[]>],
  ['remark-frontmatter', remarkFrontmatter as Plugin<never[]>, ['yaml']],
  ['remark-gfm', remarkGfm as Plugin<never[]>],
  ['remark-cjk-friendly', remarkCjkFriendly as Plugin<never[]>],
  ['remark-math', remarkMath as Plugin<never[]>],
];

/** A processor that reads Markdown as letters are read (the syntax plugins above): the build, lint and the tests start from it. */
export function markdownReader() {
  const processor = unified();
  for (const [, plugin, options] of markdownSyntax) processor.use(plugin, ...((options === undefined ? [] : [options]) as never[]));
  return processor;
}
