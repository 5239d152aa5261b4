export type Decoded = { text: string } | { invalidAt: { line: number; column: number }; byte: number };

/**
 * A letter's bytes as text: strict UTF-8 (a byte that is not UTF-8 is reported
 * with its line and column, never silently turned into U+FFFD), a leading BOM
 * dropped, and every line ending (CRLF, or a lone CR of old Mac files) made LF.
 * Line numbers stay those an editor shows: each CRLF or CR was one line break.
 */
export function decodeLetter(bytes: Uint8Array): Decoded {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const before = normaliseLineEndings(new TextDecoder('utf-8').decode(bytes.subarray(0, bad)));
    const lastBreak = before.lastIndexOf('\n');
    return { invalidAt: { line: before.split('\n').length, column: before.length - lastBreak }, byte: bytes[bad] ?? 0 };
  }
  return { text: normaliseLineEndings(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
}

export function normaliseLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF), or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // Lead byte → sequence length and the allowed range of the second byte.
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k += 1) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return -1;
}
