/**
 * Just enough DER (ITU-T X.690) to write and read a CMS signature: node's
 * crypto signs and verifies, but neither it nor forge writes the CAdES
 * attributes PAdES asks for.
 */
export interface DerNode {
  tag: number;
  /** The whole encoding (tag, length, content). */
  raw: Buffer;
  content: Buffer;
  /** For constructed types: the elements inside. */
  children: DerNode[];
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function der(tag: number, ...contents: Buffer[]): Buffer {
  const content = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export const sequence = (...items: Buffer[]): Buffer => der(0x30, ...items);
/** SET OF: DER orders the elements by their encodings. */
export const setOf = (...items: Buffer[]): Buffer => der(0x31, ...[...items].sort(Buffer.compare));
export const octets = (data: Buffer): Buffer => der(0x04, data);
export const integer = (n: number): Buffer => der(0x02, Buffer.from([n]));
export const explicit = (n: number, ...items: Buffer[]): Buffer => der(0xa0 + n, ...items);
export const nullValue = Buffer.from([0x05, 0x00]);

export function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n & 0x7f));
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

/** Parses one DER element at `offset`; throws on anything malformed or truncated. */
export function parseDer(data: Buffer, offset = 0): DerNode {
  const tag = data[offset];
  let lengthByte = data[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new Error('truncated DER');
  let length = lengthByte;
  let header = 2;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = data[offset + 2 + i];
      if (lengthByte === undefined) throw new Error('truncated DER');
      length = length * 256 + lengthByte;
    }
    header += count;
  }
  const end = offset + header + length;
  if (end > data.length) throw new Error('truncated DER');
  const content = data.subarray(offset + header, end);
  const children: DerNode[] = [];
  if (tag & 0x20) {
    for (let at = 0; at < content.length; ) {
      const child = parseDer(content, at);
      children.push(child);
      at += child.raw.length;
    }
  }
  return { tag, raw: data.subarray(offset, end), content, children };
}

export function oidText(node: DerNode | undefined): string {
  if (!node || node.tag !== 0x06) return '';
  const [first = 0, ...rest] = node.content;
  const arcs = [Math.floor(first / 40), first % 40];
  let value = 0;
  for (const byte of rest) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}
