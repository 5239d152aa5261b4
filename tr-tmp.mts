import { readFileSync } from 'node:fs';
import { PDFArray, PDFDict, PDFName, PDFRef, PDFDocument, PDFNumber } from 'pdf-lib';
const doc = await PDFDocument.load(readFileSync(process.argv[2]!), { updateMetadata: false });
const pageIndex = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i + 1]));
const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict);
const rows: { type: string; pages: Set<number> }[] = [];
function pages(node: PDFDict, inherited: number | undefined, out: Set<number>) {
  const pg = node.get(PDFName.of('Pg'));
  const page = pg instanceof PDFRef ? pageIndex.get(pg.toString()) : inherited;
  const kids = node.get(PDFName.of('K'));
  const list = kids instanceof PDFArray ? kids.asArray() : kids ? [kids] : [];
  for (const k of list) {
    const v = k instanceof PDFRef ? doc.context.lookup(k) : k;
    if (v instanceof PDFNumber) { if (page) out.add(page); }
    else if (v instanceof PDFDict) pages(v, page, out);
  }
}
function walk(node: PDFDict, parentType: string) {
  const s = node.get(PDFName.of('S'))?.toString();
  if (s === '/TR') { const out = new Set<number>(); pages(node, undefined, out); rows.push({ type: parentType, pages: out }); }
  const kids = node.get(PDFName.of('K'));
  const list = kids instanceof PDFArray ? kids.asArray() : kids ? [kids] : [];
  for (const k of list) { const v = k instanceof PDFRef ? doc.context.lookup(k) : k; if (v instanceof PDFDict && v.get(PDFName.of('S'))) walk(v, s ?? parentType); }
}
walk(root, '');
console.log(rows.map((r) => `${r.type}:${[...r.pages].join('+')}`).join(' '));
