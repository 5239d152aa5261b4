import type { Element, Root } from 'hast';
import rehypeRaw from 'rehype-raw';
import { toString } from 'hast-util-to-string';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { quoteHead } from '../load/quote.ts';
import { imageLoader } from './remark-local-images.ts';

/**
 * The elements a letter's HTML may use (what people paste into Markdown, and
 * what Markdown itself makes). `font` and `center` are rewritten below into
 * `span` and `div`; the sanitiser's schema (process-markdown.ts) then keeps
 * exactly these, with their safe attributes.
 */
export const allowedElements = [
  ...['a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em'],
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'input', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q'],
  ...['s', 'samp', 'section', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td'],
  ...['tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'var', 'wbr'],
];
const allowed = new Set([...allowedElements, 'font', 'center']);
/** Leaving these out loses nothing a reader sees (a table's column widths, Word's empty paragraph marks). */
const quietlyLeftOut = new Set(['col', 'colgroup', 'o:p', 'meta', 'link']);

/** Named colours the letter keeps (the CSS names people type), as hex. */
const namedColours: Record<string, string> = {
  black: '#000000', gray: '#808080', grey: '#808080', silver: '#c0c0c0', red: '#ff0000', maroon: '#800000', orange: '#ffa500',
  brown: '#a52a2a', olive: '#808000', green: '#008000', teal: '#008080', blue: '#0000ff', navy: '#000080', purple: '#800080',
  darkred: '#8b0000', darkgreen: '#006400', darkblue: '#00008b', crimson: '#dc143c', darkorange: '#ff8c00', firebrick: '#b22222',
};

/**
 * A text colour as `#rrggbb` when it is one a page can show: hex, `rgb()` or
 * a named colour, and dark enough to read on white paper (pale text would
 * print as if it were missing). Anything else: undefined, and the text keeps
 * the letter's colour.
 */
export function safeColour(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  let hex = namedColours[v];
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(v);
  if (short) hex = `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  if (/^#[0-9a-f]{6}$/.test(v)) hex = v;
  const rgb = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/.exec(v);
  if (rgb) hex = `#${rgb.slice(1, 4).map((c) => Math.min(255, Number(c)).toString(16).padStart(2, '0')).join('')}`;
  if (!hex) return undefined;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.8 ? undefined : hex;
}

/** The `color` of an inline style (`color: red; font-size: 9pt` → `red`); every other declaration is dropped. */
function styleColour(style: unknown): string | undefined {
  if (typeof style !== 'string') return undefined;
  const declaration = /(?:^|;)\s*color\s*:\s*([^;]+)/i.exec(style);
  return declaration?.[1] ? safeColour(declaration[1]) : undefined;
}

/**
 * The letter's HTML (parsed by rehype-raw) checked against the allow-list
 * before the sanitiser runs: an element outside it that holds text is an
 * error naming the tag and line (the sanitiser would drop it, and its words
 * with it); one that holds none is left out with a warning. `<font>` and
 * `<span style>` keep their text and a safe colour, `<center>` becomes a
 * centred `<div>`, `<details>` prints open, and an `<img>` is read under the
 * same rules as a Markdown image (local files only, checked, inlined). Ids and
 * names written in HTML are dropped: the pipeline's own ids must stay unique.
 */
export function rehypeHtmlAllowList() {
  const parse = rehypeRaw();
  return async (tree: Root, file: VFile): Promise<void> => {
    // Most letters hold no HTML: parse5's pass over the whole tree is spent only on those that do.
    let raw = false;
    visit(tree, 'raw', () => {
      raw = true;
      return false;
    });
    if (!raw) return;
    const parsed = parse(tree, file);
    if (parsed && parsed !== tree) Object.assign(tree, parsed);
    const images: Element[] = [];
    visit(tree, 'element', (node, index, parent) => {
      if (!allowed.has(node.tagName)) {
        const text = toString(node).replace(/\s+/g, ' ').trim();
        if (text !== '') {
          const message = file.message(
            `HTML element \`<${node.tagName}>\` is not allowed in a letter, and its text (“${quoteHead(text)}”) would be lost: write it in Markdown or with an element the letter allows (docs/importing.md)`,
            { place: node.position, ruleId: 'html-element', source: 'letterpress' },
          );
          message.fatal = true;
        } else if (!quietlyLeftOut.has(node.tagName)) {
          file.message(`HTML element \`<${node.tagName}>\` is not allowed in a letter and was left out (it holds no text)`, {
            place: node.position,
            ruleId: 'html-element',
            source: 'letterpress',
          });
        }
        if (parent && index !== undefined) parent.children.splice(index, 1);
        return [SKIP, index];
      }
      rewrite(node);
      if (node.tagName === 'img' && node.position) images.push(node);
      return undefined;
    });
    if (images.length === 0) return;
    const loader = await imageLoader(file);
    const refused = new Set<Element>();
    for (const image of images) {
      const src = String(image.properties.src ?? '');
      const loaded = await loader.load(src);
      if (typeof loaded === 'string') image.properties.src = loaded;
      else {
        const message = file.message(`image \`${quoteHead(src)}\` ${loaded.problem}`, { place: image.position, ruleId: 'image', source: 'letterpress' });
        message.fatal = true;
        refused.add(image);
      }
    }
    // A refused image leaves nothing behind: its URL must not reach the HTML.
    visit(tree, 'element', (node, index, parent) => {
      if (!refused.has(node) || !parent || index === undefined) return undefined;
      parent.children.splice(index, 1);
      return index;
    });
    file.data.assets = [...(file.data.assets ?? []), ...loader.assets];
  };
}

/** A table pasted without `<thead>` whose first row is all `<th>`: that row becomes its head, repeated on every page the table runs over. */
function headerRow(table: Element): void {
  if (table.children.some((c) => c.type === 'element' && c.tagName === 'thead')) return;
  const body = table.children.find((c): c is Element => c.type === 'element' && c.tagName === 'tbody');
  const rows = body ?? table;
  const first = rows.children.find((c): c is Element => c.type === 'element');
  if (first?.tagName !== 'tr') return;
  const cells = first.children.filter((c): c is Element => c.type === 'element');
  if (cells.length === 0 || !cells.every((c) => c.tagName === 'th')) return;
  rows.children.splice(rows.children.indexOf(first), 1);
  table.children.splice(body ? table.children.indexOf(body) : 0, 0, { type: 'element', tagName: 'thead', properties: {}, children: [first] });
}

function rewrite(node: Element): void {
  const { properties } = node;
  if (typeof properties.id === 'string' && !/^(fn-|fnref-|footnote-label$)/.test(properties.id)) properties.id = undefined;
  properties.name = undefined;
  if (node.tagName === 'font' || node.tagName === 'span') {
    const colour = styleColour(properties.style) ?? (node.tagName === 'font' && typeof properties.color === 'string' ? safeColour(properties.color) : undefined);
    node.tagName = 'span';
    node.properties = colour ? { style: `color:${colour}` } : {};
  } else if (node.tagName === 'center') {
    node.tagName = 'div';
    node.properties = { align: 'center' };
  } else if (node.tagName === 'details') properties.open = true;
  else if (node.tagName === 'table') headerRow(node);
  else if (node.tagName === 'img') {
    for (const key of ['width', 'height'] as const) if (!/^\d{1,5}%?$/.test(String(properties[key] ?? ''))) properties[key] = undefined;
  }
  properties.style = node.tagName === 'span' ? properties.style : undefined;
}
