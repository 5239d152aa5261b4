/**
 * The text of the `<tag>` elements of an HTML string written by the pipeline
 * (its own markup, no raw HTML): tags inside are dropped, character
 * references count with their character. For cutting a face to what it draws.
 */
export function elementText(html: string, tag: string): string {
  let text = '';
  for (const [, inner = ''] of html.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))) text += inner;
  return withoutMarkup(text);
}

/** Text with tags removed, and with the characters its character references stand for. */
export function withoutMarkup(html: string): string {
  return html.replace(/<[^>]*>/g, '') + decodeEntities(html);
}

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };

function decodeEntities(text: string): string {
  return [...text.matchAll(/&#x([0-9a-f]+);|&(amp|lt|gt|quot);/gi)]
    .map(([, hex, name]) => (hex ? String.fromCodePoint(parseInt(hex, 16)) : (named[name?.toLowerCase() ?? ''] ?? '')))
    .join('');
}
