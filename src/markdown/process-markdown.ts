import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import type { Root as HastRoot } from 'hast';
import { unified } from 'unified';
import type { VFile } from 'vfile';
import { frontMatterSchema } from '../config/front-matter-schema.ts';
import { bundledCoverage } from '../fonts/fonts.ts';
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

/** The Markdown stage's processor, built once: remark-parse → remark-rehype → sanitised, annotated hast (rehype-stringify runs in the html stage, on the whole document). */
async function createProcessor() {
  return unified()
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
    .freeze();
}

let processor: ReturnType<typeof createProcessor> | undefined;

/**
 * Markdown → the letter body as a sanitised hast tree. Front matter,
 * headings and diagnostics are left on `file` (`file.data`, `file.messages`).
 * Sanitising runs before slugs so heading ids stay readable (no clobber prefix).
 */
export async function processMarkdown(file: VFile): Promise<HastRoot> {
  processor ??= createProcessor();
  const ready = await processor;
  // parse/run rather than process(): process() replaces file.value, and the source is still needed downstream.
  return ready.run(ready.parse(file), file);
}
