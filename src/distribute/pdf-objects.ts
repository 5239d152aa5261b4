import { deflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFName, PDFRef, PDFStream, type PDFContext, type PDFObject } from 'pdf-lib';

/** An object's bytes as PDF writes them (a stream with its data). */
export function serialize(object: PDFObject): Buffer {
  const buffer = Buffer.alloc(object.sizeInBytes());
  object.copyBytesInto(buffer, 0);
  return buffer;
}

/** Where an object is found: at a byte offset (type 1) or inside an object stream (type 2). */
export type XrefEntry = { type: 1; offset: number } | { type: 2; stream: number; index: number };

/**
 * Writes a PDF from its objects, in order, keeping each one's place for the
 * cross-reference stream. `start` is where the bytes go on after ones written
 * before (a prepared base), whose entries are given.
 */
export class PdfWriter {
  readonly chunks: Buffer[] = [];
  length: number;
  readonly entries: Map<number, XrefEntry>;

  constructor(start = 0, entries: ReadonlyMap<number, XrefEntry> = new Map()) {
    this.length = start;
    this.entries = new Map(entries);
  }

  write(data: Buffer): void {
    this.chunks.push(data);
    this.length += data.length;
  }

  /** `n 0 obj … endobj` at the current offset. */
  object(number: number, body: PDFObject | Buffer): void {
    this.entries.set(number, { type: 1, offset: this.length });
    this.write(Buffer.concat([Buffer.from(`${number} 0 obj\n`), Buffer.isBuffer(body) ? body : serialize(body), Buffer.from('\nendobj\n')]));
  }

  /**
   * Objects that are not streams, packed by a hundred into compressed object
   * streams numbered from `next`; returns the next free number.
   */
  objectStreams(objects: [number, PDFObject][], next: number): number {
    for (let i = 0; i < objects.length; i += 100) {
      const group = objects.slice(i, i + 100);
      const bodies = group.map(([, object]) => serialize(object));
      let at = 0;
      const offsets = group.map(([number], k) => {
        const pair = `${number} ${at}`;
        at += (bodies[k]?.length ?? 0) + 1;
        return pair;
      });
      const head = Buffer.from(`${offsets.join(' ')}\n`);
      const data = deflateSync(Buffer.concat([head, ...bodies.flatMap((b) => [b, Buffer.from('\n')])]));
      const stream = next++;
      group.forEach(([number], index) => this.entries.set(number, { type: 2, stream, index }));
      this.object(stream, Buffer.concat([Buffer.from(`<< /Type /ObjStm /N ${group.length} /First ${head.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`), data, Buffer.from('\nendstream')]));
    }
    return next;
  }

  /** The cross-reference stream (numbered `number`, one past every object) and the end of the file. */
  finish(number: number, trailer: string): void {
    const size = number + 1;
    const offset = this.length;
    this.entries.set(number, { type: 1, offset });
    const rows = Buffer.alloc(size * 7);
    for (const [n, entry] of this.entries) {
      if (n >= size) throw new Error(`object ${n} is past the cross-reference stream's size ${size}`);
      rows.writeUInt8(entry.type, n * 7);
      rows.writeUInt32BE(entry.type === 1 ? entry.offset : entry.stream, n * 7 + 1);
      rows.writeUInt16BE(entry.type === 1 ? 0 : entry.index, n * 7 + 5);
    }
    // Object 0 heads the free list (type 0, generation 65535).
    rows.writeUInt16BE(0xffff, 5);
    const data = deflateSync(rows);
    this.write(Buffer.concat([Buffer.from(`${number} 0 obj\n<< /Type /XRef /Size ${size} /W [1 4 2] ${trailer} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`), data, Buffer.from(`\nendstream\nendobj\nstartxref\n${offset}\n%%EOF\n`)]));
  }
}

/** The PDF header, with the binary comment that tells transfer programs the file is not text. */
export const pdfHeader = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');

/** Every reference reached from `object`, through arrays, dictionaries and stream dictionaries, except under the keys in `skip`. */
export function referencesOf(context: PDFContext, roots: PDFObject[], skip: ReadonlySet<string> = new Set()): Set<number> {
  const seen = new Set<number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const object = stack.pop();
    if (object instanceof PDFRef) {
      if (seen.has(object.objectNumber)) continue;
      seen.add(object.objectNumber);
      const target = context.lookup(object);
      if (target) stack.push(target);
    } else if (object instanceof PDFArray) {
      stack.push(...object.asArray());
    } else if (object instanceof PDFDict) {
      for (const [key, value] of object.entries()) if (!skip.has(key.asString().slice(1))) stack.push(value);
    } else if (object instanceof PDFStream) {
      stack.push(object.dict);
    }
  }
  return seen;
}

/** `object` with every reference to a key of `map` replaced by its value (a new object; the original is left as it was). */
export function renumber(context: PDFContext, object: PDFObject, map: ReadonlyMap<number, number>): PDFObject {
  if (object instanceof PDFRef) {
    const to = map.get(object.objectNumber);
    return to === undefined ? object : PDFRef.of(to);
  }
  if (object instanceof PDFArray) return context.obj(object.asArray().map((item) => renumber(context, item, map)));
  if (object instanceof PDFDict) {
    const copy = PDFDict.withContext(context);
    for (const [key, value] of object.entries()) copy.set(key, renumber(context, value, map));
    return copy;
  }
  if (object instanceof PDFStream) {
    const dict = renumber(context, object.dict, map) as PDFDict;
    return context.stream(object.getContents(), Object.fromEntries([...dict.entries()].map(([k, v]) => [k.asString().slice(1), v])));
  }
  return object;
}

export const name = (n: string): PDFName => PDFName.of(n);
