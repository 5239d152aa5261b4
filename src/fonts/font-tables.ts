import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * What letterpress needs to know of a bundled TrueType/OpenType font without
 * loading it whole (a CJK face is 15 MB): the code points its `cmap` maps to
 * glyphs (formats 4 and 12), so that a character no bundled font can draw is
 * caught, and its PostScript name (`name` table), which is how Chromium names
 * the font in the PDF. Only the table directory and the table are read.
 */
export async function readCodePoints(file: string): Promise<CodePoints> {
  const handle = await open(file, 'r');
  try {
    const read = async (position: number, length: number): Promise<DataView> => {
      const { buffer } = await handle.read(Buffer.alloc(length), 0, length, position);
      return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    };
    const tables = (await read(4, 2)).getUint16(0);
    const directory = await read(12, tables * 16);
    const cmap = findTable(directory, tables, 'cmap');
    if (!cmap) throw new Error(`${file} has no cmap table`);
    return parseCmap(await read(cmap.offset, cmap.length));
  } finally {
    await handle.close();
  }
}

/** The font's PostScript name (name ID 6), e.g. `NotoSerifSC-Regular`. */
export function readPostScriptName(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const read = (position: number, length: number): Buffer => {
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, position);
      return buffer;
    };
    const view = (b: Buffer): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
    const tables = read(4, 2).readUInt16BE(0);
    const name = findTable(view(read(12, tables * 16)), tables, 'name');
    if (!name) throw new Error(`${file} has no name table`);
    const data = read(name.offset, name.length);
    const count = data.readUInt16BE(2);
    const strings = data.readUInt16BE(4);
    for (let i = 0; i < count; i++) {
      const record = 6 + i * 12;
      if (data.readUInt16BE(record + 6) !== 6) continue;
      const start = strings + data.readUInt16BE(record + 10);
      const bytes = Buffer.from(data.subarray(start, start + data.readUInt16BE(record + 8)));
      // Windows names are UTF-16BE, Macintosh ones single-byte (PostScript names are ASCII).
      return data.readUInt16BE(record) === 3 ? bytes.swap16().toString('utf16le') : bytes.toString('latin1');
    }
    throw new Error(`${file} has no PostScript name`);
  } finally {
    closeSync(fd);
  }
}

function findTable(directory: DataView, tables: number, tag: string): { offset: number; length: number } | undefined {
  for (let i = 0; i < tables; i++) {
    const record = i * 16;
    const found = String.fromCharCode(...[0, 1, 2, 3].map((k) => directory.getUint8(record + k)));
    if (found === tag) return { offset: directory.getUint32(record + 8), length: directory.getUint32(record + 12) };
  }
  return undefined;
}

/** Code points of a cmap table, given as a view that starts at the table. */
function parseCmap(view: DataView): CodePoints {
  const count = view.getUint16(2);
  let best: { offset: number; format: number } | undefined;
  for (let i = 0; i < count; i++) {
    const record = 4 + i * 8;
    const platform = view.getUint16(record);
    const encoding = view.getUint16(record + 2);
    const offset = view.getUint32(record + 4);
    const format = view.getUint16(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (unicode && (format === 12 || (format === 4 && best?.format !== 12))) best = { offset, format };
  }
  if (!best) throw new Error('font has no Unicode cmap subtable');
  return best.format === 12 ? readFormat12(view, best.offset) : readFormat4(view, best.offset);
}

/**
 * The code points a font maps, as sorted, disjoint ranges: a CJK face maps
 * 30,000–60,000 of them in a few thousand runs, and a lookup is a binary
 * search, where a Set of them all took a tenth of a second to fill per face.
 */
export class CodePoints {
  /** Inclusive [first, last] pairs, flattened, ascending. */
  private readonly bounds: number[];

  constructor(bounds: number[]) {
    this.bounds = bounds;
  }

  has(code: number): boolean {
    let low = 0;
    let high = this.bounds.length / 2 - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (code < (this.bounds[2 * mid] ?? 0)) high = mid - 1;
      else if (code > (this.bounds[2 * mid + 1] ?? 0)) low = mid + 1;
      else return true;
    }
    return false;
  }

  get size(): number {
    let count = 0;
    for (let i = 0; i < this.bounds.length; i += 2) count += (this.bounds[i + 1] ?? 0) - (this.bounds[i] ?? 0) + 1;
    return count;
  }

  /** The code points that are also within `ranges` (inclusive pairs). */
  within(ranges: readonly (readonly [number, number])[]): CodePoints {
    const cut: number[] = [];
    for (let i = 0; i < this.bounds.length; i += 2) {
      for (const [first, last] of ranges) {
        const from = Math.max(first, this.bounds[i] ?? 0);
        const to = Math.min(last, this.bounds[i + 1] ?? 0);
        if (from <= to) cut.push(from, to);
      }
    }
    return new CodePoints(normalised(cut));
  }
}

/** Sorts inclusive pairs and merges those that touch or overlap. */
function normalised(bounds: number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < bounds.length; i += 2) pairs.push([bounds[i] ?? 0, bounds[i + 1] ?? 0]);
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [first, last] of pairs) {
    const end = merged.length - 1;
    if (end > 0 && first <= (merged[end] ?? 0) + 1) merged[end] = Math.max(merged[end] ?? 0, last);
    else merged.push(first, last);
  }
  return merged;
}

/** Collects code points in ascending order as ranges. */
class RangeBuilder {
  readonly bounds: number[] = [];

  add(first: number, last: number): void {
    if (first > last) return;
    const end = this.bounds.length - 1;
    if (end > 0 && first === (this.bounds[end] ?? 0) + 1) this.bounds[end] = last;
    else this.bounds.push(first, last);
  }
}

function readFormat12(view: DataView, offset: number): CodePoints {
  const ranges = new RangeBuilder();
  const groups = view.getUint32(offset + 12);
  for (let i = 0; i < groups; i++) {
    const group = offset + 16 + i * 12;
    const start = view.getUint32(group);
    const end = view.getUint32(group + 4);
    // Glyph 0 is .notdef: a group that begins there does not draw its first code point.
    ranges.add(view.getUint32(group + 8) === 0 ? start + 1 : start, end);
  }
  return new CodePoints(normalised(ranges.bounds));
}

function readFormat4(view: DataView, offset: number): CodePoints {
  const ranges = new RangeBuilder();
  const segments = view.getUint16(offset + 6) / 2;
  const ends = offset + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  for (let s = 0; s < segments; s++) {
    const end = view.getUint16(ends + s * 2);
    const start = view.getUint16(starts + s * 2);
    const delta = view.getInt16(deltas + s * 2);
    const rangeOffset = view.getUint16(rangeOffsets + s * 2);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const at = rangeOffsets + s * 2 + rangeOffset + (c - start) * 2;
        glyph = view.getUint16(at);
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      if (glyph !== 0) ranges.add(c, c);
    }
  }
  return new CodePoints(normalised(ranges.bounds));
}
