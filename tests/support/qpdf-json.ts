import { execFileSync } from 'node:child_process';

type Value = unknown;
export type Dict = Record<string, Value>;

/**
 * A PDF's objects as qpdf (an independent reader) decodes them: `qpdf --json`
 * v2, strings as `u:…` (text) or `b:…` (hex bytes), references as `N 0 R`.
 */
export class QpdfJson {
  readonly objects: Record<string, { value?: Value; stream?: { dict: Dict } }>;

  constructor(readonly file: string) {
    const json = JSON.parse(execFileSync('qpdf', ['--json', '--json-key=qpdf', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as {
      qpdf: [unknown, QpdfJson['objects']];
    };
    this.objects = json.qpdf[1];
  }

  get trailer(): Dict {
    return this.objects.trailer?.value as Dict;
  }

  get catalog(): Dict {
    return this.dict(this.trailer['/Root']);
  }

  /** Follows a reference (or returns a direct value). */
  resolve(value: Value): Value {
    if (typeof value === 'string' && /^\d+ \d+ R$/.test(value)) {
      const object = this.objects[`obj:${value}`];
      return object?.stream ? object.stream.dict : object?.value;
    }
    return value;
  }

  dict(value: Value): Dict {
    const resolved = this.resolve(value);
    if (!resolved || typeof resolved !== 'object' || Array.isArray(resolved)) throw new Error(`not a dictionary: ${JSON.stringify(value)}`);
    return resolved as Dict;
  }

  array(value: Value): Value[] {
    const resolved = this.resolve(value);
    return Array.isArray(resolved) ? resolved : [];
  }

  /** Every dictionary of the file (stream dictionaries included), with its object id. */
  *dicts(): Generator<[string, Dict]> {
    for (const [id, object] of Object.entries(this.objects)) {
      const dict = object.stream?.dict ?? object.value;
      if (dict && typeof dict === 'object' && !Array.isArray(dict)) yield [id, dict as Dict];
    }
  }

  /** A stream's decoded data. */
  streamData(ref: string): Buffer {
    return execFileSync('qpdf', [`--show-object=${ref.split(' ')[0]}`, '--filtered-stream-data', this.file], { maxBuffer: 64 * 1024 * 1024 });
  }
}

/** The text of a qpdf JSON string (`u:` text; `b:` hex bytes as Latin-1). */
export function text(value: Value): string {
  const s = String(value);
  if (s.startsWith('u:')) return s.slice(2);
  if (s.startsWith('b:')) return Buffer.from(s.slice(2), 'hex').toString('latin1');
  return s;
}
