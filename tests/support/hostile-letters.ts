import fc from 'fast-check';

/** Pieces of hostile or merely unusual Markdown, as letters from many hands hold them. */
const hostile = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<iframe src="https://evil.example/"></iframe>',
  '<object data="x.swf"></object>',
  '<embed src="x">',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<style>body{background:url(https://evil.example/x)}</style>',
  '<a href="javascript:alert(1)">x</a>',
  '<p style="background:url(https://evil.example/)">x</p>',
  '<svg onload=alert(1)>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](java\tscript:alert(1))',
  '[x](vbscript:msgbox)',
  '[x](file:///etc/passwd)',
  '[x](//evil.example/)',
  '[x](data:text/html,<script>alert(1)</script>)',
  '<https://evil.example/auto>',
  'https://evil.example/literal',
  'www.evil.example',
  '![i](https://evil.example/x.png)',
  '![i](http://evil.example/x.png)',
  '![i](//evil.example/x.png)',
  '![i](file:///etc/passwd)',
  '![i](/etc/passwd)',
  '![i](../../../../etc/passwd)',
  '![i](a%zz.png)',
  '![i](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  `![i](data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')})`,
  `![i](data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>')})`,
  '![i][ref]\n\n[ref]: https://evil.example/x.png',
  '[r][ref2]\n\n[ref2]: javascript:alert(1)',
  '| a | b |\n| --- | --- |\n| <script>x</script> | [y](javascript:z) |',
  '正文[^1]\n\n[^1]: 注 <script>x</script>',
  '```html\n<script>alert(1)</script>\n```',
  '`<iframe>`',
  '&lt;script&gt; &#60;script&#62;',
  '\\<script\\>',
];

const structure = fc.oneof(
  fc.constantFrom(...hostile),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.constantFrom('*', '_', '~', '[', ']', '(', ')', '>', '-', ' ', '\n', '<', '!', '`', '|', '#', '甲', 'a', ':', '\\', '&', '\x01', '\x0c', '\u2028'), maxLength: 60 }),
  fc.tuple(fc.integer({ min: 1, max: 40 }), fc.constantFrom('> ', '- ', '1. ', '* ')).map(([n, marker]) => `${marker.repeat(n)}深`),
  fc.tuple(fc.integer({ min: 1, max: 80 }), fc.constantFrom('*', '_', '~')).map(([n, c]) => `${c.repeat(n)}强${c.repeat(n)}`),
  fc.tuple(fc.integer({ min: 1, max: 6 }), fc.string({ maxLength: 20 })).map(([n, text]) => `${'#'.repeat(n)} ${text}`),
);

export const body = fc.array(structure, { maxLength: 8 }).map((parts) => parts.join('\n\n'));

/** A front-matter value: plain, hostile to CSS and HTML, or with control characters (a YAML double-quoted string holds any of them). */
const value = fc.oneof(
  { arbitrary: fc.string({ unit: fc.constantFrom('拾', '象', 'a', 'Z', '"', "'", '\\', '<', '>', '&', '}', ';', '/', '*', ' ', '\u2028'), minLength: 1, maxLength: 30 }), weight: 4 },
  fc.constantFrom('拾象', 'S\f} } main p { display: none }', '</style><script>alert(1)</script>', '"\'\\<>&', 'a\u2028b', 'x\0y', '*a: &a [1]'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
);

export const frontMatter = fc.record({ title: value, shortTitle: value, confidentiality: value, author: value, recipients: value }).map((v) =>
  ['---', ...Object.entries(v).map(([key, text]) => `${key}: ${JSON.stringify(text)}`), 'date: 2024-01', 'organisation: 拾象', '---', ''].join('\n'),
);

/** Markup that runs, or that makes Chromium fetch, in any HTML the pipeline writes. */
export function unsafeIn(html: string): string[] {
  const found: string[] = [];
  // A tag runs to the first `>` outside quotes: markup inside a quoted attribute value is text.
  const tags = html.match(/<[a-zA-Z](?:[^>"']|"[^"]*"|'[^']*')*>/g) ?? [];
  for (const tag of tags) {
    const name = /^<([a-zA-Z0-9-]+)/.exec(tag)?.[1]?.toLowerCase() ?? '';
    if (['script', 'iframe', 'object', 'embed', 'base', 'frame', 'frameset', 'applet', 'form', 'link'].includes(name)) found.push(tag);
    if (name === 'meta' && /http-equiv/i.test(tag) && !tag.startsWith('<meta http-equiv="Content-Security-Policy"')) found.push(tag);
    if (/\son[a-z]+\s*=/i.test(tag)) found.push(tag);
    if (/style\s*=\s*"[^"]*url\(/i.test(tag)) found.push(tag);
    for (const [, attribute, url = ''] of tag.matchAll(/\s(src|href|srcset|data|action|formaction|poster|xlink:href)\s*=\s*"([^"]*)"/gi)) {
      const target = url.trim().toLowerCase().replace(/&#x?[0-9a-f]+;?/g, '');
      if (/^(javascript|vbscript|file):/.test(target) || target.startsWith('//')) found.push(tag);
      if (attribute?.toLowerCase() !== 'href' && !target.startsWith('data:image/')) found.push(tag);
      if (attribute?.toLowerCase() === 'href' && /^data:/.test(target)) found.push(tag);
    }
  }
  return found;
}
