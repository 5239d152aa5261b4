import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';

/** The preview may run only its own scripts and fetch only its own files. */
export const previewCsp = "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; font-src 'self' data:";

/** The viewer page: the pages of the PDF (drawn by pdf.js with a selectable text layer) and, over them, the last build's errors. */
export function previewPage(title: string): string {
  const tree = h(null, [
    { type: 'doctype' },
    h('html', { lang: 'zh-CN' }, [
      h('head', [
        h('meta', { charset: 'utf-8' }),
        h('title', `${title} — letterpress dev`),
        h('link', { rel: 'stylesheet', href: '/pdfjs/pdf_viewer.css' }),
        h('link', { rel: 'stylesheet', href: '/preview.css' }),
        h('script', { type: 'module', src: '/preview.js' }),
      ]),
      h('body', [
        h('aside#problems', { hidden: true, role: 'alert' }, [h('h2', '这一版没能排出（显示的是上一版）'), h('ol')]),
        h('main#pages', [h('p.waiting', '正在排版……')]),
      ]),
    ]),
  ]);
  return toHtml(tree);
}
