import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRef, PDFString, type PDFDocument, type PDFObject } from 'pdf-lib';

/**
 * Chromium names a structure element that others point at (a table header
 * cell, through its cells' /Headers) after the DOM node's id in the renderer:
 * a counter that also counts the nodes of earlier layout passes. The same
 * letter then gets other ids after two passes (an empty TOC cache) than after
 * one. Renumbered here in the order the elements are written (their object
 * numbers, which depend on the document alone), the bytes never depend on
 * how the print came about.
 */
export function normaliseStructureIds(doc: PDFDocument): void {
  const root = doc.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict);
  const tree = root?.lookupMaybe(PDFName.of('IDTree'), PDFDict);
  if (!root || !tree) return;
  const named = nameTree(tree);
  named.pairs.sort((a, b) => a.ref.objectNumber - b.ref.objectNumber || a.id.localeCompare(b.id));
  const renamed = new Map(named.pairs.map(({ id }, i) => [id, `node${String(i + 1).padStart(8, '0')}`]));
  const rename = (value: PDFObject | undefined): PDFString | undefined => {
    const id = textOf(value);
    const next = id === undefined ? undefined : renamed.get(id);
    return next === undefined ? undefined : PDFString.of(next);
  };

  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || !object.has(PDFName.of('S'))) continue;
    const id = rename(object.get(PDFName.of('ID')));
    if (id) object.set(PDFName.of('ID'), id);
    for (const attributes of attributeDicts(doc, object)) {
      const headers = attributes.lookupMaybe(PDFName.of('Headers'), PDFArray);
      for (let i = 0; headers && i < headers.size(); i++) {
        const header = rename(headers.get(i));
        if (header) headers.set(i, header);
      }
    }
  }
  // The tree becomes a root holding every name, sorted (the new names sort in the order they were given); its old nodes go.
  for (const ref of named.nodes) doc.context.delete(ref);
  tree.delete(PDFName.of('Kids'));
  tree.set(PDFName.of('Names'), doc.context.obj(named.pairs.flatMap(({ id, ref }) => [PDFString.of(renamed.get(id)!), ref])));
  tree.delete(PDFName.of('Limits'));
}

function textOf(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
}

/** The (id, element) pairs of a name tree, and its nodes below the root (through /Kids). */
function nameTree(node: PDFDict, found: { pairs: { id: string; ref: PDFRef }[]; nodes: PDFRef[] } = { pairs: [], nodes: [] }) {
  const names = node.lookupMaybe(PDFName.of('Names'), PDFArray);
  for (let i = 0; names && i + 1 < names.size(); i += 2) {
    const id = textOf(names.get(i));
    const ref = names.get(i + 1);
    if (id !== undefined && ref instanceof PDFRef) found.pairs.push({ id, ref });
  }
  const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
  for (let i = 0; kids && i < kids.size(); i++) {
    const ref = kids.get(i);
    const kid = kids.lookup(i);
    if (ref instanceof PDFRef) found.nodes.push(ref);
    if (kid instanceof PDFDict) nameTree(kid, found);
  }
  return found;
}

/** A structure element's attribute dictionaries: /A is one dictionary or an array of them (with revision numbers between). */
function attributeDicts(doc: PDFDocument, element: PDFDict): PDFDict[] {
  const value = element.lookup(PDFName.of('A'));
  if (value instanceof PDFDict) return [value];
  if (!(value instanceof PDFArray)) return [];
  return value.asArray().map((item) => doc.context.lookup(item)).filter((item): item is PDFDict => item instanceof PDFDict);
}
