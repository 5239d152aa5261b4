import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import type { FrontMatter } from '../config/front-matter-schema.ts';
import { defaultHouseStyle, labelLanguage, type HouseStyle, type Labels } from '../config/house-style-schema.ts';
import type { PageSetup } from '../config/page-setup.ts';
import { fontRules } from '../fonts/font-css.ts';
import { mathCss } from '../fonts/math-markup.ts';
import { footnoteLabels } from '../markdown/footnote-labels.ts';
import type { HeadingEntry } from '../markdown/vfile-data.ts';
import { projectRoot } from '../common/project-root.ts';
import { renderToc, tocEntries } from '../toc/render-toc.ts';
import { houseCss, pageCss } from './page-css.ts';

export interface DocumentInput {
  /** The letter's source text: its characters are in the text faces' subsets, whatever the body shows of them. */
  source: string;
  /** The letter body from the Markdown stage (sanitised). */
  body: Root;
  meta: FrontMatter;
  headings: HeadingEntry[];
  page: PageSetup;
  /** Page of each heading id, once a layout pass has found them. */
  tocPages?: ReadonlyMap<string, number>;
  /** The project's house style (default: the built-in design). */
  house?: HouseStyle;
  /** Shown above the letterhead (a redline's summary). */
  prelude?: ElementContent[];
  /** Rules after the letter's own (a redline's marks). */
  css?: string;
}

const stylesDir = path.join(projectRoot, 'styles');

/** Characters the stylesheet draws that the text does not hold (list-marker space, emphasis dot), and all of printable ASCII. */
const extraText = `\u2002\u2022${Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')}`;
/** Where the @font-face rules go once the document's text is known: a CSS comment, so it can never come from the letter. */
const fontsSlot = '/* fonts */';
/** Where KaTeX's layout rules go when the letter has formulas. */
const mathSlot = '/* math */';

/**
 * The characters of a letter's document as far as they are known before its
 * Markdown is processed: the source's, the stylesheet's and those the shell
 * adds (the house style's labels and defaults, the notes' labels). The text
 * faces' subsets hold all of them and any other character the document shows,
 * so they can be cut while the Markdown stage runs and, for almost every
 * letter, are exactly the ones the document then asks for.
 */
export async function letterAlphabet(source: string, house: HouseStyle = defaultHouseStyle): Promise<string> {
  return alphabetOf(source, await readFile(path.join(stylesDir, 'letter.css'), 'utf8'), house);
}

/** letterAlphabet with the stylesheet already read (the render has it). */
function alphabetOf(source: string, css: string, house: HouseStyle): string {
  const { footnoteLabel, footnoteBackLabel, footnoteBackContent } = footnoteLabels;
  // The recipient's line is printed on copies, never in the letter.
  const labels = Object.values(house.labels).flatMap(({ preparedFor: _, copy: __, ...shown }) => Object.values(shown));
  const defaults = [house.organisation.name, ...Object.values(house.closing)];
  return [source, css, extraText, ...labels, ...defaults, footnoteLabel, footnoteBackLabel(0), footnoteBackContent].join('');
}

const serializer = unified().use(rehypeStringify).freeze();

/** A hast tree as HTML (rehype-stringify): the letter's whole document, or a fragment of it. */
export function serializeHtml(tree: Root): string {
  return serializer.stringify(tree);
}

/**
 * A letter's document: as Chromium prints it, and as the file (the same but
 * for how its fonts are compressed: see fontRules). Its first style element
 * holds the font rules; the document can be loaded without them while their
 * subsets are cut, and given them one by one.
 */
export interface LetterDocument {
  /** The document with its font rules left out (their style element holds none): the same whichever way its fonts are compressed. */
  fontless: string;
  /** The rules of the fontless document's first style element, in order, each to print as soon as it is known. */
  fontRules: Promise<string>[];
  /** The whole document to print, once its fonts are cut. */
  print(): Promise<string>;
  file(): Promise<string>;
}

/**
 * The complete, self-contained HTML document of a letter: letterhead, body,
 * styles and subset fonts inline, a CSP that forbids scripts and every
 * request, so the file shows the same anywhere it is copied. Built as a hast
 * tree: every value from the front matter is a text node or a property,
 * escaped by the serializer.
 */
export async function renderDocument(input: DocumentInput): Promise<string> {
  return (await renderLetterDocument(input)).file();
}

/** renderDocument, with the document for the print as soon as it can be printed. */
export async function renderLetterDocument(input: DocumentInput): Promise<LetterDocument> {
  const { meta } = input;
  const house = input.house ?? defaultHouseStyle;
  const labels = house.labels[labelLanguage(meta.lang)];
  // Read on every render: the live preview restyles when styles/ changes.
  const css = await readFile(path.join(stylesDir, 'letter.css'), 'utf8');
  const toc = renderToc(tocEntries(input.headings, meta.toc), labels.toc, input.tocPages);
  // The notes are the letter's last words: after the closing block (sign-off, signature, notice), not above it.
  const isNotes = (node: Root['children'][number]): boolean => node.type === 'element' && node.properties.dataFootnotes !== undefined;
  const notes = input.body.children.filter(isNotes) as ElementContent[];
  const body = input.body.children.filter((node) => !isNotes(node)) as ElementContent[];
  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: meta.lang }, [
        h('head', [
          h('meta', { charSet: 'utf-8' }),
          h('meta', {
            httpEquiv: 'Content-Security-Policy',
            content: "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:",
          }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('title', meta.title),
          h('meta', { name: 'author', content: meta.author }),
          meta.subject ? h('meta', { name: 'description', content: meta.subject }) : [],
          meta.keywords.length > 0 ? h('meta', { name: 'keywords', content: meta.keywords.join(', ') }) : [],
          h('style', `\n${fontsSlot}\n`),
          h('style', `\n${mathSlot}\n${css}\n${houseCss(house)}\n${pageCss(meta, input.page, house)}\n${input.css ? `${input.css}\n` : ''}`),
        ]),
        h('body', [
          input.prelude ?? [],
          h('article.letter', [
            letterhead(meta, labels, house.logoUrl),
            toc ?? [],
            h('main.letter-body', body),
            closing(meta) ?? [],
            notes.length > 0 ? h('div.letter-body.letter-notes', notes) : [],
          ]),
        ]),
      ]),
    ],
  };
  const serialized = `${serializeHtml(tree)}\n`;
  const html = serialized.replace(mathSlot, () => mathCss(serialized));
  // Every character the page can show is somewhere in its own text (markup, styles, generated TOC and labels),
  // so the font subsets are cut from the document itself and no glyph falls outside them.
  const fonts = await fontRules(html + extraText, alphabetOf(input.source, css, house));
  const withFonts = (rules: string): string => html.replace(fontsSlot, () => rules);
  // Made once: the preview's tab and its result both ask for it.
  let whole: Promise<string> | undefined;
  return {
    fontless: html,
    fontRules: fonts.print,
    print: () => (whole ??= Promise.all(fonts.print).then((rules) => withFonts(rules.join('\n')))),
    file: async () => withFonts(await fonts.file()),
  };
}

function letterhead(meta: FrontMatter, labels: Labels, logoUrl: string | undefined): Element {
  const organisation = h('span.letterhead-org', meta.organisation);
  return h('header.letterhead', [
    h('div.letterhead-bar', [
      logoUrl ? h('span.letterhead-brand', [h('img.letterhead-logo', { src: logoUrl, alt: '' }), organisation]) : organisation,
      h('span.letterhead-label', meta.confidentiality),
    ]),
    h('h1.letter-title', meta.title),
    h('dl.letter-meta', [h('dt', labels.to), h('dd', meta.recipients), h('dt', labels.date), h('dd', [h('time', { dateTime: meta.date }, meta.date)])]),
  ]);
}

/** The optional closing block (sign-off, signature, notice), kept together at the end of the letter. */
function closing(meta: FrontMatter): Element | undefined {
  const block = meta.closing;
  if (!block) return undefined;
  const line = (cls: string, text: string | undefined): Element[] => (text ? [h(`p.${cls}`, text)] : []);
  return h('footer.closing', [
    ...line('closing-signoff', block.signoff),
    ...line('closing-signature', block.signature),
    ...line('closing-notice', block.notice),
  ]);
}
