import type { Element, ElementContent, Root } from 'hast';
import mammoth from 'mammoth';
import rehypeRaw from 'rehype-raw';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';

/** An image held in the .docx, to be written beside the letter. */
export interface DocxImage {
  name: string;
  bytes: Buffer;
}

const extensions: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/svg+xml': 'svg' };

/**
 * A Word document as Markdown, through mammoth (its semantic HTML: headings,
 * paragraphs, emphasis, links, lists, tables, images): headings, paragraphs
 * and lists become Markdown; tables stay HTML (a letter sets them as its own,
 * with their merged cells); images are named `image-N.ext` under `imageDir`.
 */
export async function docxToMarkdown(path: string, imageDir: string): Promise<{ markdown: string; images: DocxImage[]; messages: string[] }> {
  const images: DocxImage[] = [];
  const result = await mammoth.convertToHtml(
    { path },
    {
      convertImage: mammoth.images.imgElement(async (image) => {
        const bytes = Buffer.from(await image.readAsBase64String(), 'base64');
        const name = `image-${images.length + 1}.${extensions[image.contentType] ?? 'png'}`;
        images.push({ name, bytes });
        return { src: `${imageDir}/${name}` };
      }),
    },
  );
  const tree: Root = { type: 'root', children: [{ type: 'raw', value: result.value }] };
  const parsed = rehypeRaw()(tree, undefined as never) as Root | undefined;
  const root = parsed ?? tree;
  const blocks = root.children.filter((c): c is Element => c.type === 'element').map((el) => block(el, '')).filter((b) => b.trim() !== '');
  // A paragraph style mammoth does not map is set as a plain paragraph: nothing is lost, nothing to report.
  const messages = result.messages.map((m) => m.message).filter((m) => !/^Unrecognised (paragraph|run) style/.test(m));
  return { markdown: `${blocks.join('\n\n')}\n`, images, messages };
}

const html = unified().use(rehypeStringify);

function escape(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, '\\$1').replace(/^(\d+)\. /, '$1\\. ').replace(/==/g, '\\=\\=').replace(/\$/g, '\\$');
}

function inline(nodes: ElementContent[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'text') return escape(node.value.replace(/\s+/g, ' '));
      if (node.type !== 'element') return '';
      const inner = inline(node.children);
      switch (node.tagName) {
        case 'strong':
        case 'b':
          return inner.trim() ? `**${inner}**` : inner;
        case 'em':
        case 'i':
          return inner.trim() ? `*${inner}*` : inner;
        case 's':
        case 'del':
          return inner.trim() ? `~~${inner}~~` : inner;
        case 'sup':
        case 'sub':
        case 'u':
          return `<${node.tagName}>${inner}</${node.tagName}>`;
        case 'br':
          return '<br>';
        case 'a': {
          const href = String(node.properties.href ?? '');
          return href && !href.startsWith('#') ? `[${inner}](${href})` : inner;
        }
        case 'img':
          return `![${escape(String(node.properties.alt ?? ''))}](${String(node.properties.src ?? '')})`;
        default:
          return inner;
      }
    })
    .join('');
}

function block(el: Element, indent: string): string {
  const heading = /^h([1-6])$/.exec(el.tagName);
  if (heading) return `${'#'.repeat(Number(heading[1]))} ${inline(el.children).trim()}`;
  if (el.tagName === 'ul' || el.tagName === 'ol') {
    let n = 0;
    return el.children
      .filter((c): c is Element => c.type === 'element' && c.tagName === 'li')
      .map((li) => {
        const marker = el.tagName === 'ol' ? `${++n}. ` : '- ';
        const own = li.children.filter((c) => !(c.type === 'element' && (c.tagName === 'ul' || c.tagName === 'ol')));
        const nested = li.children.filter((c): c is Element => c.type === 'element' && (c.tagName === 'ul' || c.tagName === 'ol'));
        const text = own.map((c) => (c.type === 'element' && c.tagName === 'p' ? inline(c.children) : inline([c]))).join(' ').trim();
        return [`${indent}${marker}${text}`, ...nested.map((list) => block(list, `${indent}${' '.repeat(marker.length)}`))].join('\n');
      })
      .join('\n');
  }
  if (el.tagName === 'table') {
    // Word puts a paragraph in every cell: a cell of one paragraph holds its text directly, so it takes the cell's alignment.
    const unwrap = (node: Element): void => {
      for (const child of node.children) if (child.type === 'element') unwrap(child);
      const only = node.children.filter((c) => c.type !== 'text' || c.value.trim() !== '');
      if ((node.tagName === 'td' || node.tagName === 'th') && only.length === 1 && only[0]?.type === 'element' && only[0].tagName === 'p') node.children = only[0].children;
    };
    unwrap(el);
    return html.stringify({ type: 'root', children: [el] });
  }
  if (el.tagName === 'blockquote') return el.children.filter((c): c is Element => c.type === 'element').map((c) => `> ${block(c, '')}`).join('\n>\n');
  return inline(el.children).trim();
}
