/**
 * Test tooling: hand-written DER, to make the malformed and tampered replies
 * a real authority never sends. letterpress itself reads and writes DER with asn1js/pkijs.
 *
 */
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
export const octets = (data: Buffer): Buffer => der(0x04, data);
