/**
 * The byte-level structure of a PDF that incremental updates rely on: where
 * its last cross-reference section is, what its trailer says, where each
 * revision ends. Read from the bytes themselves, not from a parser that merges revisions.
 */
export interface Trailer {
  /** Offset of the last cross-reference section (`startxref`). */
  startxref: number;
  size: number;
  root: string;
  info?: string;
  /** The /ID array as written. */
  id?: string;
  encrypted: boolean;
}

export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function readTrailer(bytes: Uint8Array): Trailer {
  const tail = latin1(bytes.subarray(Math.max(0, bytes.length - 1024)));
  const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!start) throw new Error('the file does not end with startxref … %%EOF: not a complete PDF');
  const startxref = Number(start[1]);
  // A classic `trailer << … >>` after an `xref` table, or the dictionary of a cross-reference stream.
  const section = latin1(bytes.subarray(startxref, Math.min(bytes.length, startxref + 64 * 1024)));
  const dict = section.startsWith('xref') ? /trailer\s*(<<[\s\S]*?>>)\s*startxref/.exec(section)?.[1] : /^\d+\s+\d+\s+obj\s*(<<[\s\S]*?>>)\s*stream/.exec(section)?.[1];
  if (!dict) throw new Error(`no trailer at offset ${startxref}`);
  const ref = (key: string): string | undefined => new RegExp(`/${key}\\s+(\\d+\\s+\\d+\\s+R)`).exec(dict)?.[1];
  const root = ref('Root');
  const size = Number(/\/Size\s+(\d+)/.exec(dict)?.[1]);
  if (!root || !size) throw new Error('the trailer has no /Root or /Size');
  return { startxref, size, root, info: ref('Info'), id: /\/ID\s*(\[[^\]]*\])/.exec(dict)?.[1], encrypted: /\/Encrypt\s/.test(dict) };
}

/** Offsets just past each `%%EOF` marker (before its end of line): the ends of the file's revisions, first to last. */
export function revisionEnds(bytes: Uint8Array): number[] {
  return [...latin1(bytes).matchAll(/%%EOF/g)].map((match) => match.index + match[0].length);
}
