import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FrontMatter } from '../config/front-matter-schema.ts';
import { projectRoot } from '../project-root.ts';
import { escapeHtml } from './escape-html.ts';
import { fontFaceCss } from './fonts.ts';
import { mathCss } from './math-markup.ts';
import { pageCss, type PageSetup } from './page-css.ts';
import { renderToc, tocEntries } from './render-toc.ts';
import type { HeadingEntry } from '../markdown/vfile-data.ts';

export interface DocumentInput {
  bodyHtml: string;
  meta: FrontMatter;
  headings: HeadingEntry[];
  page: PageSetup;
  /** Page of each heading id, once a layout pass has found them. */
  tocPages?: ReadonlyMap<string, number>;
}

const stylesDir = path.join(projectRoot, 'styles');

/** Characters the stylesheet draws that the text does not hold (list-marker space, emphasis dot), and all of printable ASCII. */
const extraText = `\u2002\u2022${Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')}`;
const fontsSlot = '/* fonts */';

/**
 * The complete, self-contained HTML document of a letter: letterhead, body,
 * styles and subset fonts inline, a CSP that forbids scripts and every
 * request, so the file shows the same anywhere it is copied.
 */
export async function renderDocument(input: DocumentInput): Promise<string> {
  const { bodyHtml, meta } = input;
  const css = await readFile(path.join(stylesDir, 'letter.css'), 'utf8');
  const html = `<!DOCTYPE html>
<html lang="${escapeHtml(meta.lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(meta.title)}</title>
<meta name="author" content="${escapeHtml(meta.author)}">
${meta.subject ? `<meta name="description" content="${escapeHtml(meta.subject)}">\n` : ''}${meta.keywords.length ? `<meta name="keywords" content="${escapeHtml(meta.keywords.join(', '))}">\n` : ''}<style>
${fontsSlot}
</style>
<style>
${mathCss(bodyHtml)}
${css}
${pageCss(meta, input.page)}
</style>
</head>
<body>
<article class="letter">
${renderLetterhead(meta)}
${renderToc(tocEntries(input.headings, meta.toc), meta.lang, input.tocPages)}
<main class="letter-body">
${bodyHtml}
</main>
${renderClosing(meta)}
</article>
</body>
</html>
`;
  // Every character the page can show is somewhere in its own text (markup, styles, generated TOC and labels),
  // so the font subsets are cut from the document itself and no glyph falls outside them.
  const fonts = await fontFaceCss(html + extraText);
  return html.replace(fontsSlot, () => fonts);
}

function renderLetterhead(meta: FrontMatter): string {
  return `<header class="letterhead">
<div class="letterhead-bar"><span class="letterhead-org">${escapeHtml(meta.organisation)}</span><span class="letterhead-label">${escapeHtml(meta.confidentiality)}</span></div>
<h1 class="letter-title">${escapeHtml(meta.title)}</h1>
<dl class="letter-meta"><dt>To:</dt><dd>${escapeHtml(meta.recipients)}</dd><dt>Date:</dt><dd><time datetime="${escapeHtml(meta.date)}">${escapeHtml(meta.date)}</time></dd></dl>
</header>`;
}

/** The optional closing block (sign-off, signature, notice), kept together at the end of the letter. */
function renderClosing(meta: FrontMatter): string {
  const closing = meta.closing;
  if (!closing) return '';
  const line = (cls: string, text: string | undefined): string => (text ? `<p class="${cls}">${escapeHtml(text)}</p>` : '');
  return `<footer class="closing">${line('closing-signoff', closing.signoff)}${line('closing-signature', closing.signature)}${line('closing-notice', closing.notice)}</footer>`;
}
