import { describe, expect, it } from 'vitest';
import type { FrontMatter } from '../../src/config/front-matter-schema.ts';
import { cssString } from '../../src/html/css-string.ts';
import { pageCss } from '../../src/html/page-css.ts';
import { renderDocument } from '../../src/html/render-document.ts';
import { readCssString } from '../support/css-string-token.ts';

/** Every character that ends a CSS string, a CSS declaration, an HTML <style> element, or a line in some reader. */
const dangerous = ['\n', '\r', '\r\n', '\f', '"', "'", '\\', '<', '>', '&', '\u2028', '\u2029', '\x0b', '\x1b', '\x08', '\x01', '\x7f', '\x85', '}', ';', '/*', '*/', '</style>'];

function roundTrip(value: string): string {
  const literal = cssString(value);
  const token = readCssString(literal, 0);
  if ('bad' in token) throw new Error(`bad string at ${token.at}: ${JSON.stringify(literal)}`);
  // The token must end exactly where the literal does: nothing of the value is left outside it.
  expect(token.end).toBe(literal.length);
  return token.value;
}

describe('cssString', () => {
  it.each(dangerous)('holds %j exactly, inside one string token, with no raw newline, quote, backslash or angle bracket', (c) => {
    const value = `前${c}后 ${c}${c}`;
    expect(roundTrip(value)).toBe(value);
    const literal = cssString(value);
    expect(literal.slice(1, -1)).not.toMatch(/[\n\r\f"'<>&\u2028\u2029\0-\x08\x0b\x0e-\x1f\x7f]/);
  });

  it('holds hex digits and spaces right after an escape (the space that ends an escape is not eaten from the value)', () => {
    for (const value of ['"abc', '"  x', '<1f', '\\ff ff', '\n\n', 'A"0 ']) expect(roundTrip(value)).toBe(value);
  });

  it('turns NUL, which CSS cannot hold, into U+FFFD as a CSS parser would', () => {
    expect(roundTrip('a\0b')).toBe('a\ufffdb');
  });

  it('leaves ordinary text, Chinese and Latin, as it is', () => {
    expect(cssString('大模型观察 · 内部资料 Confidential')).toBe('"大模型观察 · 内部资料 Confidential"');
  });
});

const meta: FrontMatter = {
  title: '标题',
  recipients: 'LPs',
  date: '2024-01',
  author: '拾象',
  organisation: '拾象',
  confidentiality: '保密',
  lang: 'zh-CN',
  keywords: [],
  toc: true,
};
// Issue 12.3: a form feed closes the string in Chromium and the rest rewrites the page.
const attack = "S\f} } main p { display: none } main::after { content: 'Wire the funds to account 999' } @page { @top-left { content: \"x";

describe('the running header in the @page rule', () => {
  it('keeps the attack from the issue inside the header string: the @page rule is exactly the expected one', () => {
    const css = pageCss({ ...meta, shortTitle: attack, confidentiality: `机密\r\n</style><script>alert(1)</script>` }, { paper: 'a4', profile: 'pdf' });
    const at = css.indexOf('@top-left { content: ') + '@top-left { content: '.length;
    const token = readCssString(css, at);
    if ('bad' in token) throw new Error('bad string');
    expect(token.value).toBe(attack);
    const right = css.indexOf('@top-right { content: ') + '@top-right { content: '.length;
    const label = readCssString(css, right);
    if ('bad' in label) throw new Error('bad string');
    expect(label.value).toBe('机密\r\n</style><script>alert(1)</script>');
    // With both strings cut out, what remains is the rule letterpress writes, character for character.
    const skeleton = css.slice(0, at) + '""' + css.slice(token.end, right) + '""' + css.slice(label.end);
    expect(skeleton).toBe(pageCss({ ...meta, shortTitle: '', confidentiality: '' }, { paper: 'a4', profile: 'pdf' }));
  });

  it('renders into an HTML page where the attack stays in the header string and the <style> element is not closed early', async () => {
    const html = await renderDocument({ source: '', body: { type: 'root', children: [{ type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: '正文' }] }] }, meta: { ...meta, shortTitle: attack, confidentiality: '</style><p>假</p>' }, headings: [], page: { paper: 'a4', profile: 'pdf' } });
    const style = html.slice(html.lastIndexOf('<style>'), html.indexOf('</style>', html.lastIndexOf('<style>')));
    expect(style).toContain('@top-left { content: ');
    const at = style.indexOf('@top-left { content: ') + '@top-left { content: '.length;
    const token = readCssString(style, at);
    if ('bad' in token) throw new Error('bad string');
    expect(token.value).toBe(attack);
    expect(style.slice(token.end)).toMatch(/^; vertical-align: bottom;/);
    expect(html.match(/<\/style>/g)).toHaveLength(2);
    expect(html).not.toContain('<p>假</p>');
    expect(html).not.toMatch(/main::after \{ content: 'Wire/);
  });
});
