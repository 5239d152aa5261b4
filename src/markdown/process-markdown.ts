import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import rehypeStringify from 'rehype-stringify';
import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { VFile } from 'vfile';
import { frontMatterSchema } from '../config/front-matter-schema.ts';
import { bundledCoverage } from '../html/fonts.ts';
import { remarkChineseLint } from '../lint/remark-chinese-lint.ts';
import { rehypeBreakLongWords } from './rehype-break-long-words.ts';
import { rehypeCollectHeadings } from './rehype-collect-headings.ts';
import { rehypeLatinEmphasis } from './rehype-latin-emphasis.ts';
import { remarkFrontMatter } from './remark-front-matter.ts';
import { remarkGlyphCoverage } from './remark-glyph-coverage.ts';
import { remarkLocalImages } from './remark-local-images.ts';
import { remarkNoRawHtml } from './remark-no-raw-html.ts';
import './vfile-data.ts';

/**
 * GitHub's schema, minus id clobbering (no script ever runs in a letter, and
 * prefixes would break footnote links), plus data: image sources, which only
 * remark-local-images produces (a data: URL written in a letter is refused there).
 */
const sanitizeSchema = {
  ...defaultSchema,
  clobberPrefix: '',
  protocols: { ...defaultSchema.protocols, src: [...(defaultSchema.protocols?.src ?? []), 'data'] },
};

/**
 * Markdown → sanitised HTML fragment of the letter body. Front matter,
 * headings and diagnostics are left on `file` (`file.data`, `file.messages`).
 * Sanitising runs before slugs so heading ids stay readable (no clobber prefix).
 */
export async function processMarkdown(file: VFile): Promise<string> {
  const processor = unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkFrontMatter, { schema: frontMatterSchema })
    .use(remarkGfm)
    .use(remarkCjkFriendly)
    .use(remarkNoRawHtml)
    .use(remarkLocalImages)
    .use(remarkGlyphCoverage, { covered: await bundledCoverage() })
    .use(remarkChineseLint, { demote: true })
    // Notes in Chinese; "↑" back to the reference, since the bundled fonts have no "↩".
    .use(remarkRehype, {
      clobberPrefix: '',
      footnoteLabel: '注释',
      footnoteBackLabel: (n: number) => `返回第 ${n + 1} 处引用`,
      footnoteBackContent: '↑',
    })
    .use(rehypeSanitize, sanitizeSchema)
    .use(rehypeSlug)
    .use(rehypeLatinEmphasis)
    .use(rehypeBreakLongWords)
    .use(rehypeCollectHeadings)
    .use(rehypeStringify);
  // parse/run/stringify rather than process(): process() replaces file.value, and the source is still needed downstream.
  const tree = await processor.run(processor.parse(file), file);
  return processor.stringify(tree, file);
}
