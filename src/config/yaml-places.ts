import { isMap, isPair, isScalar, visit, type Document } from 'yaml';

/** A place in a file, 1-based. */
export interface Point {
  line: number;
  column: number;
}

/** Offsets in the YAML text to places in the file that holds it. */
export type At = (offset: number) => Point;

/** Where the value at `path` starts (its key when the value is absent). */
export function valuePlace(doc: Document, path: PropertyKey[], at: At): Point | undefined {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  return node?.range ? at(node.range[0]) : keyPlace(doc, path.map(String), at);
}

/** Where the key that ends `path` is written. */
export function keyPlace(doc: Document, path: string[], at: At): Point | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === path.at(-1));
  const key = pair?.key as { range?: [number, number, number] } | undefined;
  return key?.range ? at(key.range[0]) : undefined;
}

/** The first alias (`*name`) of the document. */
export function firstAlias(doc: Document, at: At): Point | undefined {
  let place: Point | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.range) place = at(node.range[0]);
      return visit.BREAK;
    },
  });
  return place;
}
