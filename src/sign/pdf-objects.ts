import {
  decodePDFRawStream,
  PDFArray,
  PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
  type PDFObject,
} from 'pdf-lib';
import { inflateSync } from 'node:zlib';
import { latin1 } from './pdf-revisions.ts';

/**
 * A PDF read the way a viewer reads it: from the last `startxref` back along
 * the cross-reference chain (/Prev, and /XRefStm in hybrid files), each
 * revision with its own table of where its objects are. Objects are parsed
 * only through those tables, never by scanning the bytes, so what is
 * compared here is what a reader is shown.
 */

type Entry = { kind: 'free' } | { kind: 'offset'; offset: number } | { kind: 'compressed'; stream: number; index: number };

export interface Revision {
  /** Offset of this revision's cross-reference section. */
  xref: number;
  /** Offset just past this revision's `%%EOF` (and the end of line that follows it, if any). */
  end: number;
  trailer: PDFDict;
  /** The entries this revision's section itself holds. */
  entries: Map<number, Entry>;
}

/** A PDF whose structure cannot be followed: not a problem of one signature but of the whole file. */
export class PdfStructureError extends Error {}

const name = (n: string): PDFName => PDFName.of(n);

export class PdfRevisions {
  readonly revisions: Revision[];
  private readonly text: string;
  private readonly context = PDFContext.create();
  private readonly parsed = new Map<number, { object: PDFObject; start: number; end: number } | undefined>();
  private readonly streams = new Map<number, Map<number, PDFObject>>();

  constructor(readonly bytes: Uint8Array) {
    this.text = latin1(bytes);
    const last = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(this.text.slice(-1024));
    if (!last) {
      const markers = [...this.text.matchAll(/startxref\s+\d+\s+%%EOF/g)].at(-1);
      const after = markers ? this.text.length - markers.index - markers[0].length : 0;
      throw new PdfStructureError(markers ? `the file goes on ${after} bytes past its last complete revision (%%EOF): truncated, or bytes added outside any revision` : 'the file does not end with startxref … %%EOF: not a complete PDF');
    }
    const chain: Revision[] = [];
    const seen = new Set<number>();
    for (let xref: number | undefined = Number(last[1]); xref !== undefined; ) {
      if (seen.has(xref)) throw new PdfStructureError(`the cross-reference chain loops back to offset ${xref}`);
      seen.add(xref);
      const revision = this.readSection(xref);
      chain.push(revision);
      const prev = revision.trailer.get(name('Prev'));
      xref = prev instanceof PDFNumber ? prev.asNumber() : undefined;
    }
    this.revisions = chain.reverse();
    for (let i = 1; i < this.revisions.length; i++) {
      if ((this.revisions[i]?.xref ?? 0) <= (this.revisions[i - 1]?.end ?? 0) - 1) throw new PdfStructureError('a revision’s cross-reference section lies inside an earlier revision');
    }
  }

  get last(): number {
    return this.revisions.length - 1;
  }

  /** The revision whose end is exactly `offset`, if any. */
  revisionEndingAt(offset: number): number | undefined {
    const at = this.revisions.findIndex((r) => r.end === offset || this.eofAt(r) === offset);
    return at < 0 ? undefined : at;
  }

  /** Where object `number` is defined as of revision `at`: the newest entry for it at or before that revision. */
  entry(number: number, at: number): Entry | undefined {
    for (let i = at; i >= 0; i--) {
      const entry = this.revisions[i]?.entries.get(number);
      if (entry) return entry;
    }
    return undefined;
  }

  /** The revision in which object `number`'s definition as of revision `at` was written. */
  definedIn(number: number, at: number): number | undefined {
    for (let i = at; i >= 0; i--) if (this.revisions[i]?.entries.has(number)) return i;
    return undefined;
  }

  /** Every object number that is in use as of revision `at`. */
  numbers(at: number): Set<number> {
    const result = new Set<number>();
    const freed = new Set<number>();
    for (let i = at; i >= 0; i--) {
      for (const [n, entry] of this.revisions[i]?.entries ?? []) {
        if (result.has(n) || freed.has(n)) continue;
        (entry.kind === 'free' ? freed : result).add(n);
      }
    }
    result.delete(0);
    return result;
  }

  /** Object `number` as of revision `at`, or undefined when it is free or cannot be read. */
  object(number: number, at: number): PDFObject | undefined {
    const entry = this.entry(number, at);
    if (!entry || entry.kind === 'free') return undefined;
    if (entry.kind === 'offset') return this.objectAt(entry.offset, number)?.object;
    return this.compressed(entry.stream, at).get(number);
  }

  /** The byte span of object `number`'s definition as of revision `at`, when it is written in the open (not in an object stream). */
  span(number: number, at: number): { start: number; end: number } | undefined {
    const entry = this.entry(number, at);
    if (entry?.kind !== 'offset') return undefined;
    const found = this.objectAt(entry.offset, number);
    return found && { start: found.start, end: found.end };
  }

  /** Follows references (a bounded number of hops) to a direct object. */
  resolve(object: PDFObject | undefined, at: number): PDFObject | undefined {
    for (let hops = 0; object instanceof PDFRef && hops < 32; hops++) object = this.object(object.objectNumber, at);
    return object instanceof PDFRef ? undefined : object;
  }

  dict(object: PDFObject | undefined, at: number): PDFDict | undefined {
    const resolved = this.resolve(object, at);
    if (resolved instanceof PDFRawStream) return resolved.dict;
    return resolved instanceof PDFDict ? resolved : undefined;
  }

  catalog(at: number): PDFDict | undefined {
    return this.dict(this.revisions[at]?.trailer.get(name('Root')), at);
  }

  /** The page objects as of revision `at`, in order (bounded depth, loops cut). */
  pages(at: number): PDFRef[] {
    const result: PDFRef[] = [];
    const seen = new Set<number>();
    const walk = (node: PDFObject | undefined, depth: number): void => {
      if (!(node instanceof PDFRef) || seen.has(node.objectNumber) || depth > 64) return;
      seen.add(node.objectNumber);
      const dict = this.dict(node, at);
      if (!dict) return;
      const kids = this.resolve(dict.get(name('Kids')), at);
      if (dict.get(name('Type')) === name('Page') || !(kids instanceof PDFArray)) {
        result.push(node);
        return;
      }
      for (const kid of kids.asArray()) walk(kid, depth + 1);
    };
    walk(this.catalog(at)?.get(name('Pages')), 0);
    return result;
  }

  /** Offset just past a revision's `%%EOF`, without the end of line. */
  eofAt(revision: Revision): number {
    return revision.end - (/\r?\n$/.exec(this.text.slice(revision.end - 2, revision.end))?.[0].length ?? 0);
  }

  private readSection(xref: number): Revision {
    if (!Number.isSafeInteger(xref) || xref < 0 || xref >= this.bytes.length) throw new PdfStructureError(`a cross-reference offset (${xref}) lies outside the file`);
    const eof = new RegExp(`startxref\\s+${xref}\\s+%%EOF(\\r?\\n)?`, 'g');
    eof.lastIndex = xref;
    const marker = eof.exec(this.text);
    if (!marker) throw new PdfStructureError(`the revision whose cross-reference section is at offset ${xref} has no startxref … %%EOF`);
    const end = marker.index + marker[0].length;
    const entries = new Map<number, Entry>();
    let trailer: PDFDict;
    if (this.text.startsWith('xref', xref)) {
      trailer = this.readTable(xref, entries);
      // A hybrid file: objects the table does not list may be in a cross-reference stream.
      const stm = trailer.get(name('XRefStm'));
      if (stm instanceof PDFNumber) {
        const extra = new Map<number, Entry>();
        this.readStream(stm.asNumber(), extra);
        for (const [n, e] of extra) if (!entries.has(n)) entries.set(n, e);
      }
    } else {
      trailer = this.readStream(xref, entries);
    }
    return { xref, end, trailer, entries };
  }

  private readTable(xref: number, entries: Map<number, Entry>): PDFDict {
    const re = /\s*(\d+)\s+(\d+)[ \t]*\r?\n/y;
    let at = xref + 4;
    for (;;) {
      re.lastIndex = at;
      const head = re.exec(this.text);
      if (!head) break;
      const first = Number(head[1]);
      const count = Number(head[2]);
      at = re.lastIndex;
      for (let i = 0; i < count; i++) {
        const row = /^(\d{10}) (\d{5}) ([nf])/.exec(this.text.slice(at, at + 20));
        if (!row) throw new PdfStructureError(`a cross-reference table at offset ${xref} has a malformed row`);
        if (!entries.has(first + i)) entries.set(first + i, row[3] === 'n' ? { kind: 'offset', offset: Number(row[1]) } : { kind: 'free' });
        at += 20;
      }
    }
    const trailerAt = this.text.indexOf('trailer', at);
    if (trailerAt < 0 || trailerAt - at > 64) throw new PdfStructureError(`the cross-reference table at offset ${xref} has no trailer`);
    const trailer = this.parseAt(trailerAt + 'trailer'.length);
    if (!(trailer instanceof PDFDict)) throw new PdfStructureError(`the trailer at offset ${trailerAt} is not a dictionary`);
    return trailer;
  }

  private readStream(xref: number, entries: Map<number, Entry>): PDFDict {
    const stream = this.objectAt(xref)?.object;
    if (!(stream instanceof PDFRawStream) || stream.dict.get(name('Type')) !== name('XRef')) throw new PdfStructureError(`no cross-reference section at offset ${xref}`);
    const numberAt = (key: string): number[] => {
      const value = stream.dict.get(name(key));
      return value instanceof PDFArray ? value.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : Number.NaN)) : [];
    };
    const widths = numberAt('W');
    const size = stream.dict.get(name('Size'));
    const index = numberAt('Index');
    const sections = index.length > 0 ? index : [0, size instanceof PDFNumber ? size.asNumber() : 0];
    const rowWidth = widths.reduce((a, b) => a + b, 0);
    let data: Uint8Array;
    try {
      data = decodeStream(stream);
    } catch (error) {
      throw new PdfStructureError(`the cross-reference stream at offset ${xref} cannot be decoded (${(error as Error).message})`);
    }
    if (widths.length !== 3 || widths.some((w) => !Number.isInteger(w) || w < 0 || w > 8) || rowWidth === 0 || sections.some((n) => !Number.isSafeInteger(n))) {
      throw new PdfStructureError(`the cross-reference stream at offset ${xref} has a malformed /W or /Index`);
    }
    const field = (at: number, width: number, fallback: number): number => {
      if (width === 0) return fallback;
      let value = 0;
      for (let i = 0; i < width; i++) value = value * 256 + (data[at + i] ?? 0);
      return value;
    };
    let row = 0;
    for (let s = 0; s + 1 < sections.length; s += 2) {
      const first = sections[s] ?? 0;
      for (let i = 0; i < (sections[s + 1] ?? 0); i++, row++) {
        const at = row * rowWidth;
        if (at + rowWidth > data.length) throw new PdfStructureError(`the cross-reference stream at offset ${xref} is shorter than its /Index says`);
        const [w0 = 0, w1 = 0, w2 = 0] = widths;
        const type = field(at, w0, 1);
        const second = field(at + w0, w1, 0);
        const third = field(at + w0 + w1, w2, 0);
        const n = first + i;
        if (entries.has(n)) continue;
        if (type === 0) entries.set(n, { kind: 'free' });
        else if (type === 1) entries.set(n, { kind: 'offset', offset: second });
        else if (type === 2) entries.set(n, { kind: 'compressed', stream: second, index: third });
      }
    }
    return stream.dict;
  }

  private parseAt(offset: number): PDFObject | undefined {
    try {
      return PDFObjectParser.forBytes(this.bytes.subarray(offset), this.context).parseObject();
    } catch {
      return undefined;
    }
  }

  /** The indirect object written at `offset` (checked to be object `expected` when given). */
  private objectAt(offset: number, expected?: number): { object: PDFObject; start: number; end: number } | undefined {
    if (this.parsed.has(offset)) return this.parsed.get(offset);
    const head = /^\s*(\d+)\s+(\d+)\s+obj\b/.exec(this.text.slice(offset, offset + 64));
    let found;
    if (head && (expected === undefined || Number(head[1]) === expected)) {
      const object = this.parseAt(offset + head[0].length);
      const endobj = this.text.indexOf('endobj', offset + head[0].length);
      if (object && endobj >= 0) found = { object, start: offset, end: endobj + 'endobj'.length };
    }
    this.parsed.set(offset, found);
    return found;
  }

  /** The objects of object stream `number` as of revision `at`. */
  private compressed(number: number, at: number): Map<number, PDFObject> {
    const key = number * 1e6 + at;
    const cached = this.streams.get(key);
    if (cached) return cached;
    const result = new Map<number, PDFObject>();
    this.streams.set(key, result);
    const entry = this.entry(number, at);
    const stream = entry?.kind === 'offset' ? this.objectAt(entry.offset, number)?.object : undefined;
    if (!(stream instanceof PDFRawStream) || stream.dict.get(name('Type')) !== name('ObjStm')) return result;
    let data: Uint8Array;
    try {
      data = decodeStream(stream);
    } catch {
      return result;
    }
    const count = stream.dict.get(name('N'));
    const first = stream.dict.get(name('First'));
    if (!(count instanceof PDFNumber) || !(first instanceof PDFNumber)) return result;
    const header = latin1(data.subarray(0, first.asNumber())).trim().split(/\s+/).map(Number);
    for (let i = 0; i < count.asNumber() && i * 2 + 1 < header.length; i++) {
      const n = header[i * 2] ?? -1;
      const offset = first.asNumber() + (header[i * 2 + 1] ?? 0);
      // Only objects the cross-reference section places in this stream count.
      const placed = this.entry(n, at);
      if (placed?.kind !== 'compressed' || placed.stream !== number) continue;
      try {
        result.set(n, PDFObjectParser.forBytes(data.subarray(offset), this.context).parseObject());
      } catch {
        // An object that cannot be parsed is one that cannot be shown: left out.
      }
    }
    return result;
  }
}

/**
 * A stream's decoded bytes: Flate with the PNG predictors that cross-reference
 * and object streams are often written with (pdf-lib decodes Flate but leaves
 * predictors out), else pdf-lib's own decoders.
 */
function decodeStream(stream: PDFRawStream): Uint8Array {
  const filter = stream.dict.get(name('Filter'));
  const flate = filter === name('FlateDecode') || (filter instanceof PDFArray && filter.size() === 1 && filter.get(0) === name('FlateDecode'));
  if (!flate) return decodePDFRawStream(stream).decode();
  const raw = inflateSync(stream.contents);
  const parms = stream.dict.get(name('DecodeParms'));
  const params = parms instanceof PDFArray ? parms.get(0) : parms;
  const predictor = params instanceof PDFDict ? params.get(name('Predictor')) : undefined;
  if (!(predictor instanceof PDFNumber) || predictor.asNumber() < 10) return raw;
  const columnsValue = params instanceof PDFDict ? params.get(name('Columns')) : undefined;
  const columns = columnsValue instanceof PDFNumber ? columnsValue.asNumber() : 1;
  const out = new Uint8Array(Math.floor(raw.length / (columns + 1)) * columns);
  const previous = new Uint8Array(columns);
  for (let row = 0; (row + 1) * (columns + 1) <= raw.length; row++) {
    const type = raw[row * (columns + 1)];
    for (let i = 0; i < columns; i++) {
      const x = raw[row * (columns + 1) + 1 + i] ?? 0;
      const left = i > 0 ? (out[row * columns + i - 1] ?? 0) : 0;
      const up = previous[i] ?? 0;
      const upLeft = i > 0 ? (previous[i - 1] ?? 0) : 0;
      let value = x;
      if (type === 1) value = x + left;
      else if (type === 2) value = x + up;
      else if (type === 3) value = x + Math.floor((left + up) / 2);
      else if (type === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        value = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      }
      out[row * columns + i] = value & 0xff;
    }
    previous.set(out.subarray(row * columns, (row + 1) * columns));
  }
  return out;
}
