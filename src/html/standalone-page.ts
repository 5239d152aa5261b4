import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { fontFaceCss } from '../fonts/font-css.ts';
import { serializeHtml } from './render-document.ts';

/** Where the @font-face rules go once the page's text is known (a CSS comment, so no content can forge it). */
const fontsSlot = '/* fonts */';

/** A page of letterpress's own (the archive's index, the source redline), in Chinese: its head, its styles, its body. */
export function standalonePage(page: { title: string; meta: Element[]; css: string; body: ElementContent[] }): Root {
  return {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: 'zh-CN' }, [
        h('head', [h('meta', { charSet: 'utf-8' }), ...page.meta, h('title', page.title), h('style', `\n${fontsSlot}\n`), h('style', page.css)]),
        h('body', page.body),
      ]),
    ],
  };
}

/** The page as HTML with subsets of the bundled fonts inlined, cut to its text and `extraText` (what CSS counters draw). */
export async function withBundledFonts(tree: Root, extraText = ''): Promise<string> {
  const page = `${serializeHtml(tree)}\n`;
  const fonts = await fontFaceCss(page + extraText);
  return page.replace(fontsSlot, () => fonts);
}
