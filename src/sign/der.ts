import * as asn1js from 'asn1js';

/**
 * A DER element as a plain tree (tag, whole encoding, content, elements
 * inside), read by asn1js: for the few places that need an element's exact
 * bytes (a certificate as carried, a token as sent), which pkijs's objects
 * re-encode.
 */
export interface DerNode {
  tag: number;
  /** The whole encoding (tag, length, content). */
  raw: Buffer;
  content: Buffer;
  /** For constructed types: the elements inside. */
  children: DerNode[];
}

/** `raw` and `content` are views of the bytes given, as the element lies in them. */
function node(block: asn1js.AsnType, source: Uint8Array): DerNode {
  const view = block.valueBeforeDecodeView;
  const raw = Buffer.from(source.buffer, source.byteOffset + view.byteOffset, view.byteLength);
  const header = block.idBlock.blockLength + block.lenBlock.blockLength;
  const inner = (block.valueBlock as { value?: unknown }).value;
  const children = block.idBlock.isConstructed && Array.isArray(inner) ? (inner as asn1js.AsnType[]).map((child) => node(child, source)) : [];
  return { tag: raw[0] ?? 0, raw, content: raw.subarray(header), children };
}

/** The first DER element in `bytes` (its `raw` tells how long it is). */
export function parseDer(bytes: Uint8Array): DerNode {
  // asn1js reads a copy that starts at offset 0, so its views' offsets are offsets into `bytes`.
  const parsed = asn1js.fromBER(new Uint8Array(bytes).buffer);
  if (parsed.offset === -1) throw new Error(`not DER: ${parsed.result.error}`);
  return node(parsed.result, bytes);
}
