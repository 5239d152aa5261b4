import { PDFName, type PDFDocument, type PDFObject } from 'pdf-lib';
import { fontMap, lookupDict, streamBytes, type FontMap } from './pdf-text.ts';

/** A piece of text a page shows in one text object (`BT … ET`), where its first glyph is drawn. */
export interface TextRun {
  text: string;
  /** The first glyph's origin on its baseline, in the page's default coordinates (points, y up). */
  x: number;
  y: number;
  /** The font size as drawn (the text matrix and the current transformation applied). */
  size: number;
  /** The fill colour it is drawn in: one (grey), three (RGB) or four (CMYK) components. */
  color: number[];
}

type Matrix = [number, number, number, number, number, number];
const identity: Matrix = [1, 0, 0, 1, 0, 0];
/** `m` then `n` (PDF 32000-1, 8.3.4: row vectors, so `m × n`). */
const times = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

/** One token of a content stream: a dictionary's bounds, a hex or literal string, an array's bounds, a name, a number, an operator, a comment. */
const tokens = /(<<|>>)|<([0-9A-Fa-f\s]*)>|\(((?:\\[\s\S]|[^\\)])*)\)|([[\]])|\/([^\s/[\]()<>{}%]*)|([-+]?(?:\d+\.?\d*|\.\d+))|([A-Za-z'"*]+)|%[^\r\n]*/g;

/**
 * The text runs of one page's own content (not its form XObjects), with the
 * place, size and colour each starts at: a small interpreter of the graphics
 * state (`q`, `Q`, `cm`, fill colours) and the text operators, enough for the
 * streams Chromium writes. Text is decoded through the fonts' ToUnicode maps.
 */
export function textRuns(doc: PDFDocument, pageIndex: number): TextRun[] {
  const page = doc.getPage(pageIndex);
  const contents = page.node.Contents();
  const streams: PDFObject[] = contents && 'asArray' in contents ? contents.asArray() : contents ? [contents] : [];
  const source = streams.map((s) => new TextDecoder('latin1').decode(streamBytes(doc, s) ?? new Uint8Array())).join('\n');
  const fonts = lookupDict(doc, page.node.Resources()?.get(PDFName.of('Font')));
  const cmaps = new Map<PDFObject, FontMap>();

  const runs: TextRun[] = [];
  const stack: { ctm: Matrix; color: number[] }[] = [];
  let ctm = identity;
  let color = [0];
  let tm = identity;
  let tlm = identity;
  let font: FontMap | undefined;
  let size = 0;
  let run: TextRun | undefined;
  let operands: (number | string | Uint8Array | (number | Uint8Array)[])[] = [];
  let array: (number | Uint8Array)[] | undefined;
  let dictDepth = 0;

  const show = (bytes: Uint8Array): void => {
    if (!run) {
      const m = times(tm, ctm);
      run = { text: '', x: m[4], y: m[5], size: size * Math.hypot(m[2], m[3]), color };
      runs.push(run);
    }
    if (!font) return;
    for (let i = 0; i + font.width <= bytes.length; i += font.width) {
      const code = font.width === 2 ? ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0) : (bytes[i] ?? 0);
      run.text += font.map.get(code) ?? '';
    }
  };
  const numbers = (): number[] => operands.filter((o): o is number => typeof o === 'number');

  for (const [, dict, hex, literal, bracket, name, number, operator] of source.matchAll(tokens)) {
    if (dict) dictDepth += dict === '<<' ? 1 : -1;
    if (dictDepth > 0 || dict) continue;
    const string = hex !== undefined ? Buffer.from(hex.replace(/\s+/g, ''), 'hex') : literal !== undefined ? Buffer.from(literal.replace(/\\([()\\])/g, '$1'), 'latin1') : undefined;
    if (string) (array ?? operands).push(string);
    else if (bracket === '[') array = [];
    else if (bracket === ']') {
      if (array) operands.push(array);
      array = undefined;
    } else if (number !== undefined) (array ?? operands).push(Number(number));
    else if (name !== undefined) operands.push(name);
    else if (operator !== undefined) {
      const n = numbers();
      switch (operator) {
        case 'q':
          stack.push({ ctm, color });
          break;
        case 'Q':
          ({ ctm, color } = stack.pop() ?? { ctm, color });
          break;
        case 'cm':
          ctm = times(n as Matrix, ctm);
          break;
        case 'g':
        case 'rg':
        case 'k':
        case 'sc':
        case 'scn':
          color = n;
          break;
        case 'BT':
          tm = tlm = identity;
          run = undefined;
          break;
        case 'Tf':
          font = fontMap(doc, fonts?.get(PDFName.of(String(operands[0]))), cmaps);
          size = n[0] ?? 0;
          break;
        case 'Tm':
          tm = tlm = n as Matrix;
          break;
        case 'Td':
        case 'TD':
          tm = tlm = times([1, 0, 0, 1, n[0] ?? 0, n[1] ?? 0], tlm);
          break;
        case 'Tj':
        case "'":
        case '"':
          for (const o of operands) if (o instanceof Uint8Array) show(o);
          break;
        case 'TJ':
          for (const o of operands) if (Array.isArray(o)) for (const s of o) if (s instanceof Uint8Array) show(s);
          break;
      }
      operands = [];
    }
  }
  return runs;
}
