import { PDFArray, PDFBool, PDFDict, PDFName, PDFRef, PDFString, type PDFDocument, type PDFObject } from 'pdf-lib';

const name = (n: string): PDFName => PDFName.of(n);

/**
 * Chromium tags <strong> and <em> with PDF 2.0's Strong and Em, which PDF 1.7
 * (the version of these files, and the base of PDF/A-3 and PDF/UA-1) does not
 * define: the RoleMap maps them to their PDF 1.7 equivalent (ISO 32000-2 14.8.6).
 */
const pdf2Types: Record<string, string> = { Strong: 'Span', Em: 'Span', Sub: 'Span', Title: 'P', FENote: 'Note', Aside: 'Div', DocumentFragment: 'Div' };

/**
 * Completes the structure tree Chromium writes toward PDF/UA-1: PDF 2.0 types
 * role-mapped, each list item's content in an LBody beside its Lbl (ISO
 * 32000-1 14.8.4.3.3), footnotes tagged as Note with an ID (PDF/UA-1 7.9),
 * tab order following the structure on pages with annotations (7.18.3), the
 * document marked and its title displayed (7.1).
 */
export function completeStructure(doc: PDFDocument): void {
  const { catalog, context } = doc;
  const root = catalog.lookupMaybe(name('StructTreeRoot'), PDFDict);
  if (!root) return;
  catalog.set(name('MarkInfo'), context.obj({ Marked: true }));
  const preferences = catalog.lookupMaybe(name('ViewerPreferences'), PDFDict) ?? context.obj({});
  preferences.set(name('DisplayDocTitle'), PDFBool.True);
  catalog.set(name('ViewerPreferences'), preferences);
  for (const page of doc.getPages()) if ((page.node.Annots()?.size() ?? 0) > 0) page.node.set(name('Tabs'), name('S'));

  const elements = [...context.enumerateIndirectObjects()].filter(
    (entry): entry is [PDFRef, PDFDict] => entry[1] instanceof PDFDict && entry[1].get(name('Type')) === name('StructElem'),
  );
  const used = new Set(elements.map(([, e]) => e.get(name('S'))).flatMap((s) => (s instanceof PDFName ? [s.decodeText()] : [])));
  const pdf2Used = [...used].filter((t) => Object.hasOwn(pdf2Types, t)).sort();
  if (pdf2Used.length > 0) {
    const roleMap = root.lookupMaybe(name('RoleMap'), PDFDict) ?? context.obj({});
    for (const type of pdf2Used) if (!roleMap.has(name(type))) roleMap.set(name(type), name(pdf2Types[type] ?? 'Span'));
    root.set(name('RoleMap'), roleMap);
  }

  let notes = 0;
  const noteItems = notesListItems(doc, root);
  for (const [ref, item] of elements) {
    if (item.get(name('S')) !== name('LI')) continue;
    const kids = kidsOf(item);
    // Only items whose children are all structure elements: marked content directly in an item would need the parent tree rewritten.
    if (kids.length === 0 || !kids.every((k) => k instanceof PDFRef && context.lookup(k) instanceof PDFDict)) continue;
    const type = (k: PDFObject): PDFObject | undefined => context.lookup(k, PDFDict).get(name('S'));
    const body = kids.filter((k) => type(k) !== name('Lbl'));
    if (body.length === 0 || (body.length === 1 && type(body[0] as PDFRef) === name('LBody'))) continue;
    const bodyRef = context.register(context.obj({ Type: 'StructElem', S: 'LBody', P: ref }));
    const note = noteItems.has(ref.toString());
    const holder = note ? context.register(context.obj({ Type: 'StructElem', S: 'Note', P: bodyRef, ID: PDFString.of(`note-${++notes}`) })) : bodyRef;
    for (const kid of body) context.lookup(kid as PDFRef, PDFDict).set(name('P'), holder);
    context.lookup(holder, PDFDict).set(name('K'), context.obj(body));
    if (note) context.lookup(bodyRef, PDFDict).set(name('K'), holder);
    item.set(name('K'), context.obj([...kids.filter((k) => type(k) === name('Lbl')), bodyRef]));
  }
}

function kidsOf(element: PDFDict): PDFObject[] {
  const k = element.get(name('K'));
  if (k === undefined) return [];
  return k instanceof PDFArray ? k.asArray() : [k];
}

/**
 * The items of the notes list: the last list of the structure tree (the notes
 * end the letter) when it has one item per note the text refers to (Chromium
 * writes a named destination `fn-…` for each note a reference links to).
 */
function notesListItems(doc: PDFDocument, root: PDFDict): Set<string> {
  const dests = doc.catalog.lookupMaybe(name('Dests'), PDFDict);
  const noteCount = [...(dests?.keys() ?? [])].filter((key) => key.asString().startsWith('/fn-')).length;
  if (noteCount === 0) return new Set();
  let last: PDFRef[] = [];
  const walk = (element: PDFDict, depth: number): void => {
    if (depth > 64) return;
    const kids = kidsOf(element).filter((k): k is PDFRef => k instanceof PDFRef && doc.context.lookup(k) instanceof PDFDict);
    if (element.get(name('S')) === name('L')) last = kids.filter((k) => doc.context.lookup(k, PDFDict).get(name('S')) === name('LI'));
    for (const kid of kids) walk(doc.context.lookup(kid, PDFDict), depth + 1);
  };
  walk(root, 0);
  return new Set(last.length === noteCount ? last.map((ref) => ref.toString()) : []);
}
