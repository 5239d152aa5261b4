import { deflateSync } from 'node:zlib';
import { readTrailer } from '../../src/sign/pdf-revisions.ts';

/**
 * Appends an incremental update to a PDF, as an attacker (or another tool)
 * would: new definitions of objects, and a cross-reference section of the
 * chosen form pointing back to the previous one.
 *  - table: a classic `xref` table and trailer;
 *  - stream: a cross-reference stream;
 *  - objstm: the objects inside an object stream, listed by a cross-reference stream;
 *  - hybrid: a classic table that lists nothing, whose trailer's /XRefStm names a stream that lists the objects.
 */
export type UpdateForm = 'table' | 'stream' | 'objstm' | 'hybrid';

export interface UpdateObject {
  number: number;
  /** The object's body (what goes between `N 0 obj` and `endobj`), or a stream's dictionary and data. */
  body: string | { dict: string; data: Buffer };
}

export function appendUpdate(pdf: Uint8Array, objects: UpdateObject[], options: { form?: UpdateForm; trailer?: string; prev?: number } = {}): Buffer {
  const form = options.form ?? 'table';
  const before = readTrailer(pdf);
  const chunks: Buffer[] = [Buffer.from(pdf), Buffer.from('\n')];
  let length = pdf.length + 1;
  const offsets = new Map<number, number>();
  const write = (data: Buffer | string): void => {
    const buffer = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    chunks.push(buffer);
    length += buffer.length;
  };
  const writeObject = (number: number, body: UpdateObject['body']): void => {
    offsets.set(number, length);
    write(`${number} 0 obj\n`);
    if (typeof body === 'string') write(body);
    else {
      write(`${body.dict.replace(/>>\s*$/, '')} /Length ${body.data.length} >>\nstream\n`);
      write(body.data);
      write('\nendstream');
    }
    write('\nendobj\n');
  };
  let size = Math.max(before.size, ...objects.map((o) => o.number + 1));
  const prev = options.prev ?? before.startxref;
  const keys = `/Root ${before.root}${before.info ? ` /Info ${before.info}` : ''}${before.id ? ` /ID ${before.id}` : ''} /Prev ${prev}${options.trailer ?? ''}`;
  const compressed = new Map<number, { stream: number; index: number }>();
  if (form === 'objstm') {
    const stream = size++;
    const bodies = objects.map((o) => (typeof o.body === 'string' ? o.body : ''));
    let header = '';
    let data = '';
    objects.forEach((o, i) => {
      header += `${o.number} ${data.length} `;
      data += `${bodies[i]}\n`;
      compressed.set(o.number, { stream, index: i });
    });
    writeObject(stream, { dict: `<< /Type /ObjStm /N ${objects.length} /First ${header.length} >>`, data: Buffer.from(header + data, 'latin1') });
  } else {
    for (const object of objects) writeObject(object.number, object.body);
  }
  const xrefStream = (listed: number[], extra: string): number => {
    const number = size++;
    const at = length;
    offsets.set(number, at);
    const all = [...listed, number].sort((a, b) => a - b);
    const rows = Buffer.alloc(all.length * 7);
    all.forEach((n, i) => {
      const c = compressed.get(n);
      rows.writeUInt8(c ? 2 : 1, i * 7);
      rows.writeUInt32BE(c ? c.stream : (offsets.get(n) ?? 0), i * 7 + 1);
      rows.writeUInt16BE(c ? c.index : 0, i * 7 + 5);
    });
    writeObject(number, { dict: `<< /Type /XRef /Size ${size} /W [1 4 2] /Index [${all.map((n) => `${n} 1`).join(' ')}] ${extra} /Filter /FlateDecode >>`, data: deflateSync(rows) });
    return at;
  };
  if (form === 'table') {
    const at = length;
    const numbers = [...offsets.keys()].sort((a, b) => a - b);
    write(`xref\n${numbers.map((n) => `${n} 1\n${String(offsets.get(n)).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${size} ${keys} >>\nstartxref\n${at}\n%%EOF\n`);
  } else if (form === 'hybrid') {
    const stm = xrefStream([...offsets.keys()], keys);
    const at = length;
    write(`xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size ${size} ${keys} /XRefStm ${stm} >>\nstartxref\n${at}\n%%EOF\n`);
  } else {
    const listed = [...offsets.keys(), ...compressed.keys()];
    const at = xrefStream(listed, keys);
    write(`startxref\n${at}\n%%EOF\n`);
  }
  return Buffer.concat(chunks);
}
