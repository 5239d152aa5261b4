import rehypeKatex from 'rehype-katex';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import remarkRehype from 'remark-rehype';
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import type { VFile } from 'vfile';
import { frontMatterSchema } from '../config/front-matter-schema.ts';
import { bundledCoverage } from '../fonts/coverage.ts';
import { checkSource } from '../load/check-source.ts';
import { remarkChineseLint } from '../lint/remark-chinese-lint.ts';
import { footnoteLabels } from './footnote-labels.ts';
import { markdownReader } from './markdown-syntax.ts';
import { parseInWorker } from './parse-in-worker.ts';
import { rehypeBreakLongWords } from './rehype-break-long-words.ts';
import { rehypeCollectHeadings } from './rehype-collect-headings.ts';
import { rehypeCodeLines } from './rehype-code-lines.ts';
import { rehypeHeadingIds } from './rehype-heading-ids.ts';
import { allowedElements, rehypeHtmlAllowList } from './rehype-html-allow-list.ts';
import { rehypeKeepWithNext } from './rehype-keep-with-next.ts';
import { rehypeLatinEmphasis } from './rehype-latin-emphasis.ts';
import { rehypeLatinRuns } from './rehype-latin-runs.ts';
import { rehypeMathErrors } from './rehype-math-errors.ts';
import { rehypeMathPunctuation } from './rehype-math-punctuation.ts';
import { rehypeTableFit } from './rehype-table-fit.ts';
import { remarkHeadingLevels } from './remark-heading-levels.ts';
import { remarkImageAlt } from './remark-image-alt.ts';
import { remarkFormulaChecks } from './remark-formula-checks.ts';
import { remarkFrontMatter } from './remark-front-matter.ts';
import { remarkGlyphCoverage } from './remark-glyph-coverage.ts';
import { remarkLinkUrls } from './remark-link-urls.ts';
import { remarkLocalImages } from './remark-local-images.ts';
import { rehypeShortIds } from './rehype-short-ids.ts';
import { rehypeVisibleText } from './rehype-visible-text.ts';
import { remarkCallouts } from './remark-callouts.ts';
import { remarkFootnoteReferences } from './remark-footnote-references.ts';
import { remarkHighlight } from './remark-highlight.ts';
import { remarkMathDollars } from './remark-math-dollars.ts';
import { remarkMathFences } from './remark-math-fences.ts';
import { remarkTitleHeading } from './remark-title-heading.ts';
import { remarkWikilinks } from './remark-wikilinks.ts';
import { remarkPastedFrontMatter } from './remark-pasted-front-matter.ts';
import './vfile-data.ts';

/**
 * GitHub's schema, minus id clobbering (no script ever runs in a letter, and
 * prefixes would break footnote links), plus data: image sources, which only
 * remark-local-images produces (a data: URL written in a letter is checked and
 * re-encoded there), and the class of a displayed formula on `code`. The
 * elements are the letter's allow-list (rehype-html-allow-list.ts, which has
 * already reported what falls outside it); a `span` keeps only the colour it
 * was given there.
 */
const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  tagNames: allowedElements,
  clobberPrefix: '',
  protocols: { ...defaultSchema.protocols, src: [...(defaultSchema.protocols?.src ?? []), 'data'] },
  // A one-line `$$…$$` keeps its mark of a displayed formula (remark-math-dollars.ts).
  attributes: {
    ...defaultSchema.attributes,
    code: [['className', /^language-./, 'math-display']],
    span: [['style', /^color:#[0-9a-f]{6}$/]],
    div: [...(defaultSchema.attributes?.div ?? []), ['className', 'callout', 'callout-note', 'callout-warning']],
    p: [['className', 'callout-title']],
    '*': (defaultSchema.attributes?.['*'] ?? []).filter((a) => a !== 'color' && a !== 'size'),
  },
};

/** The Markdown stage's processor, built once: remark-parse → remark-rehype → sanitised, annotated hast (rehype-stringify runs in the html stage, on the whole document). */
async function createProcessor() {
  return markdownReader()
    .use(remarkFrontMatter, { schema: frontMatterSchema })
    .use(remarkPastedFrontMatter)
    .use(remarkMathFences)
    .use(remarkMathDollars)
    // The editors' dialects, before images are checked (an embed is an image) and before the text is linted.
    .use(remarkCallouts)
    .use(remarkWikilinks)
    .use(remarkHighlight)
    .use(remarkFormulaChecks)
    .use(remarkFootnoteReferences)
    .use(remarkTitleHeading)
    .use(remarkHeadingLevels)
    // Before the images are inlined: the warning names the image as the author wrote it.
    .use(remarkImageAlt)
    .use(remarkLocalImages)
    .use(remarkLinkUrls)
    .use(remarkGlyphCoverage, { covered: await bundledCoverage() })
    .use(remarkChineseLint, { demote: true })
    .use(remarkRehype, { clobberPrefix: '', allowDangerousHtml: true, ...footnoteLabels })
    .use(rehypeHtmlAllowList)
    // What the reader must find in the PDF, before anything could leave it out.
    .use(rehypeVisibleText)
    .use(rehypeSanitize, sanitizeSchema)
    .use(rehypeHeadingIds)
    .use(rehypeShortIds)
    .use(rehypeLatinEmphasis)
    .use(rehypeLatinRuns)
    .use(rehypeCodeLines)
    .use(rehypeBreakLongWords)
    .use(rehypeTableFit)
    .use(rehypeKeepWithNext)
    .use(rehypeCollectHeadings)
    // Formulas last, after sanitising: KaTeX's own markup (HTML and MathML) is trusted, the TeX it is made from is not markup.
    // Its strict-mode warnings would go to stderr with no place: what matters of them is checked, at the formula, by remark-formula-checks.
    .use(rehypeKatex, { output: 'htmlAndMathml', maxExpand: 1000, maxSize: 100, trust: false, strict: 'ignore' })
    .use(rehypeMathErrors)
    .use(rehypeMathPunctuation)
    .freeze();
}

let processor: ReturnType<typeof createProcessor> | undefined;

/**
 * From this many characters a letter is parsed in a worker thread, which
 * Ctrl-C can end at once. Below it, the parse takes at most about 1.5 s
 * (deeply nested quotes; ordinary text half that), and a worker, which costs
 * 0.3–0.4 s to start and to hand back the tree, would cost more than it saves.
 */
export const workerParseFrom = 256 * 1024;

/**
 * Markdown → the letter body as a sanitised hast tree. Front matter,
 * headings and diagnostics are left on `file` (`file.data`, `file.messages`).
 * Sanitising runs before heading ids so they stay readable (no clobber prefix),
 * and before KaTeX, whose markup the schema would strip.
 */
export async function processMarkdown(file: VFile, signal?: AbortSignal): Promise<HastRoot> {
  // A letter that could not be read, or that would hang or overflow the parser, is not parsed at all.
  if (file.messages.some((m) => m.fatal) || !checkSource(file)) return { type: 'root', children: [] };
  processor ??= createProcessor();
  const ready = await processor;
  // parse/run rather than process(): process() replaces file.value, and the source is still needed downstream.
  const text = String(file.value);
  const tree = text.length >= workerParseFrom ? await parseInWorker(text, signal) : (ready.parse(file) as MdastRoot);
  return ready.run(tree, file);
}
