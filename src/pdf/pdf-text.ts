import { inflateSync } from 'node:zlib';
import { decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFStream, type PDFDocument, type PDFObject } from 'pdf-lib';

/**
 * The text a PDF shows, page after page, as its fonts' ToUnicode maps say
 * (what a reader copies, what `pdftotext` prints): the characters of every
 * string shown by `Tj`, `TJ`, `'` and `"`, in the order they are drawn, in
 * pages and in the form XObjects they paint. Spacing is not reconstructed:
 * the completeness check compares characters only.
 *
 * Hand-written rather than pdf.js's getTextContent: that loads a 2 MB module
 * and parses every embedded font to place the glyphs (0.4 + 0.4 s for a
 * four-page letter); this reads the already parsed document's content
 * streams and CMaps (tens of milliseconds), which is all the check needs.
 */
export function pdfText(doc: PDFDocument): string {
  const out: string[] = [];
  const cmaps = new Map<PDFObject, FontMap>();
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    const bytes = streams.map((s) => streamBytes(doc, s)).filter((b): b is Uint8Array => b !== undefined);
    showText(doc, concat(bytes), page.node.Resources(), cmaps, out, 0);
  }
  return out.join('');
}

export interface FontMap {
  /** Bytes per character code: 2 for a composite (Type0) font, else 1. */
  width: 1 | 2;
  map: Map<number, string>;
}

export function streamBytes(doc: PDFDocument, ref: PDFObject | undefined): Uint8Array | undefined {
  const stream = ref instanceof PDFRef ? doc.context.lookup(ref) : ref;
  if (stream instanceof PDFRawStream) {
    // Flate alone (as Chromium writes every stream): node's zlib, several times faster than pdf-lib's JavaScript inflate.
    const filter = stream.dict.get(PDFName.of('Filter'));
    if (filter?.toString() === '/FlateDecode' && !stream.dict.has(PDFName.of('DecodeParms'))) return inflateSync(stream.contents);
    return decodePDFRawStream(stream).decode();
  }
  if (stream instanceof PDFStream) return stream.getContents();
  return undefined;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    all[at + p.length] = 0x0a;
    at += p.length + 1;
  }
  return all;
}

export function lookupDict(doc: PDFDocument, value: PDFObject | undefined): PDFDict | undefined {
  const resolved = value instanceof PDFRef ? doc.context.lookup(value) : value;
  if (resolved instanceof PDFDict) return resolved;
  if (resolved instanceof PDFStream) return resolved.dict;
  return undefined;
}

export function fontMap(doc: PDFDocument, font: PDFObject | undefined, cache: Map<PDFObject, FontMap>): FontMap | undefined {
  if (!font) return undefined;
  const cached = cache.get(font);
  if (cached) return cached;
  const dict = lookupDict(doc, font);
  if (!dict) return undefined;
  const width = dict.get(PDFName.of('Subtype'))?.toString() === '/Type0' ? 2 : 1;
  const toUnicode = streamBytes(doc, dict.get(PDFName.of('ToUnicode')));
  const result: FontMap = { width, map: toUnicode ? parseCMap(new TextDecoder('latin1').decode(toUnicode)) : new Map() };
  cache.set(font, result);
  return result;
}

const hexValue = (hex: string): number => parseInt(hex, 16);
/** A ToUnicode destination: UTF-16BE in hex. */
function utf16(hex: string): string {
  const units: number[] = [];
  for (let i = 0; i + 4 <= hex.length; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}

/** A ToUnicode CMap's bfchar and bfrange entries as code → text. */
export function parseCMap(text: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code = '', dest = ''] of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) map.set(hexValue(code), utf16(dest));
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo = '', hi = '', dest = ''] of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]*>)/g)) {
      const from = hexValue(lo);
      const to = hexValue(hi);
      if (dest.startsWith('[')) {
        [...dest.matchAll(/<([0-9a-fA-F]*)>/g)].forEach((m, i) => map.set(from + i, utf16(m[1] ?? '')));
        continue;
      }
      const start = utf16(dest.slice(1, -1));
      const last = start.charCodeAt(start.length - 1);
      for (let code = from; code <= to && code - from < 0x10000; code++) map.set(code, start.slice(0, -1) + String.fromCharCode(last + code - from));
    }
  }
  return map;
}

/**
 * The operators that matter, found by one regular expression over the
 * stream (as Latin-1): `/F 1 Tf`, a string shown by `Tj` or `'`, an array
 * shown by `TJ`, `/X Do`, `q` and `Q`. Everything else (paths, images,
 * marked content) is passed over at the speed of the regular-expression engine.
 */
const operators = new RegExp(
  [
    String.raw`\/([^\s\/\[\]()<>{}%]+)\s+[-+\d.]+\s+Tf`,
    String.raw`<([0-9A-Fa-f\s]*)>\s*(?:Tj|')`,
    String.raw`\(((?:\\[\s\S]|[^\\)])*)\)\s*(?:Tj|')`,
    String.raw`\[((?:\((?:\\[\s\S]|[^\\)])*\)|<[0-9A-Fa-f\s]*>|[^\]()<>])*)\]\s*TJ`,
    String.raw`\/([^\s\/\[\]()<>{}%]+)\s+Do(?![^\s])`,
    String.raw`(?<![^\s])([qQ])(?![^\s])`,
  ].join('|'),
  'g',
);
const strings = /<([0-9A-Fa-f\s]*)>|\(((?:\\[\s\S]|[^\\)])*)\)/g;

/** The character codes of a hex string, `width` bytes each, looked up in `font`'s map. */
function showHex(hex: string, font: FontMap, out: string[]): void {
  const digits = /\s/.test(hex) ? hex.replace(/\s+/g, '') : hex;
  const step = font.width * 2;
  for (let i = 0; i + step <= digits.length; i += step) out.push(font.map.get(parseInt(digits.slice(i, i + step), 16)) ?? '');
}

/** A literal string's bytes, its escapes undone. */
function literalBytes(text: string): Uint8Array {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
  const unescaped = text.replace(/\\([0-7]{1,3}|\r\n|[\s\S])/g, (_, e: string) => (/^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8) & 0xff) : /^[\r\n]/.test(e) ? '' : (escapes[e] ?? e)));
  return Uint8Array.from(unescaped, (c) => c.charCodeAt(0));
}

/** Runs one content stream: the text it shows goes to `out`; form XObjects it paints are run in turn (to a depth of 8). */
function showText(doc: PDFDocument, bytes: Uint8Array, resources: PDFDict | undefined, cmaps: Map<PDFObject, FontMap>, out: string[], depth: number): void {
  const fonts = lookupDict(doc, resources?.get(PDFName.of('Font')));
  const xobjects = lookupDict(doc, resources?.get(PDFName.of('XObject')));
  const stack: (FontMap | undefined)[] = [];
  let font: FontMap | undefined;
  const show = (s: Uint8Array): void => {
    if (!font) return;
    // Literal strings (rare in Chromium's output, which writes hex).
    for (let i = 0; i + font.width <= s.length; i += font.width) {
      const code = font.width === 2 ? ((s[i] ?? 0) << 8) | (s[i + 1] ?? 0) : (s[i] ?? 0);
      out.push(font.map.get(code) ?? '');
    }
  };
  const name = (raw: string): string => raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  const byName = new Map<string, FontMap | undefined>();
  const fontNamed = (raw: string): FontMap | undefined => {
    if (!byName.has(raw)) byName.set(raw, fontMap(doc, fonts?.get(PDFName.of(name(raw))), cmaps));
    return byName.get(raw);
  };
  const text = new TextDecoder('latin1').decode(bytes);
  for (const [, fontName, hex, literal, array, xobject, q] of text.matchAll(operators)) {
    if (fontName !== undefined) font = fontNamed(fontName);
    else if (hex !== undefined) {
      if (font) showHex(hex, font, out);
    } else if (literal !== undefined) show(literalBytes(literal));
    else if (array !== undefined) {
      for (const [, h, l] of array.matchAll(strings)) {
        if (h === undefined) show(literalBytes(l ?? ''));
        else if (font) showHex(h, font, out);
      }
    }
    else if (q === 'q') stack.push(font);
    else if (q === 'Q') font = stack.pop();
    else if (xobject !== undefined && depth < 8) {
      const ref = xobjects?.get(PDFName.of(name(xobject)));
      const form = ref instanceof PDFRef ? doc.context.lookup(ref) : ref;
      if (!(form instanceof PDFStream) || form.dict.get(PDFName.of('Subtype'))?.toString() !== '/Form') continue;
      const inner = streamBytes(doc, form);
      if (inner) showText(doc, inner, lookupDict(doc, form.dict.get(PDFName.of('Resources'))) ?? resources, cmaps, out, depth + 1);
    }
  }
}
