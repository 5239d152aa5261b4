/**
 * Reads the CSS string token that starts at `start` (a quote) exactly as
 * CSS Syntax Level 3 §4.3.5 does: a raw newline (LF, CR or FF) makes it a
 * bad-string, a backslash starts an escape (hex digits and one optional
 * whitespace, or one character), NUL and invalid code points become U+FFFD.
 * Independent of the code under test, so it can catch what its escaping misses.
 */
export function readCssString(css: string, start: number): { value: string; end: number } | { bad: true; at: number } {
  const quote = css[start];
  let value = '';
  let i = start + 1;
  for (;;) {
    const c = css[i];
    if (c === undefined) return { value, end: i };
    if (c === quote) return { value, end: i + 1 };
    if (c === '\n' || c === '\r' || c === '\f') return { bad: true, at: i };
    if (c !== '\\') {
      value += c;
      i += 1;
      continue;
    }
    const next = css[i + 1];
    if (next === undefined) {
      i += 1;
      continue;
    }
    if (next === '\n' || next === '\r' || next === '\f') {
      i += next === '\r' && css[i + 2] === '\n' ? 3 : 2;
      continue;
    }
    const hex = /^[0-9a-fA-F]{1,6}/.exec(css.slice(i + 1, i + 7))?.[0];
    if (!hex) {
      value += String.fromCodePoint(css.codePointAt(i + 1) ?? 0xfffd);
      i += next.length + 1;
      continue;
    }
    const code = Number.parseInt(hex, 16);
    value += String.fromCodePoint(code === 0 || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff ? 0xfffd : code);
    i += 1 + hex.length;
    if (css[i] === '\r' && css[i + 1] === '\n') i += 2;
    else if (/[ \t\n\r\f]/.test(css[i] ?? '')) i += 1;
  }
}
