import { describe, expect, it } from 'vitest';
import { serializeHtml } from '../../src/html/render-document.ts';
import { renderToc, tocEntries } from '../../src/toc/render-toc.ts';

const headings = [
  { depth: 2, id: 'part-1', text: 'I. 闭源模型' },
  { depth: 3, id: 'sub', text: '小节 <script>' },
  { depth: 4, id: 'deep', text: '更深' },
  { depth: 2, id: 'part-2', text: 'II. 开源模型' },
];

describe('tocEntries', () => {
  it('lists parts and sub-headings by default, only parts at depth 1, nothing when off', () => {
    expect(tocEntries(headings, true).map((h) => h.id)).toEqual(['part-1', 'sub', 'part-2']);
    expect(tocEntries(headings, { depth: 1 }).map((h) => h.id)).toEqual(['part-1', 'part-2']);
    expect(tocEntries(headings, { depth: 3 }).map((h) => h.id)).toEqual(['part-1', 'sub', 'deep', 'part-2']);
    expect(tocEntries(headings, false)).toEqual([]);
  });
});

describe('renderToc', () => {
  const html = (pages?: Map<string, number>): string => {
    const toc = renderToc(tocEntries(headings, true), '目录', pages);
    if (!toc) throw new Error('no TOC');
    return serializeHtml({ type: 'root', children: [toc] });
  };

  it('links each entry to its heading and carries the page placeholders the PDF stage numbers', () => {
    const out = html();
    expect(out).toContain('<div class="toc-title">目录</div>');
    expect([...out.matchAll(/href="#([^"]+)"/g)].map((m) => m[1])).toEqual(['part-1', 'sub', 'part-2']);
    expect([...out.matchAll(/<span class="toc-page" data-target="([^"]+)">(\d+)</g)].map((m) => [m[1], m[2]])).toEqual([
      ['part-1', '0'],
      ['sub', '0'],
      ['part-2', '0'],
    ]);
  });

  it('prints the numbers it is given', () => {
    expect(html(new Map([['part-1', 1], ['sub', 2], ['part-2', 3]]))).toMatch(/data-target="part-2">3</);
  });

  it('escapes heading text: markup in a title stays text', () => {
    expect(html()).toContain('小节 &#x3C;script>');
    expect(html()).not.toContain('<script');
  });

  it('makes no TOC for no entries, and titles it as told', () => {
    expect(renderToc([], '目录')).toBeUndefined();
    const toc = renderToc(tocEntries(headings, true), 'Contents');
    expect(toc && serializeHtml({ type: 'root', children: [toc] })).toContain('Contents');
  });
});
