import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import type { PdfRevisions } from './pdf-objects.ts';

/**
 * What changed in a PDF after a given revision, judged as pyHanko's
 * difference analysis and Acrobat's "modified after signing" judge it: the
 * document as signed is compared with the document as shown, object by
 * object, and a later revision may only add signatures — each new
 * signature's field and invisible widget, its entry in the AcroForm's
 * /Fields and /SigFlags, its signature dictionary, its place in the
 * structure tree, and DSS (validation data). Anything else is a change to
 * what was signed.
 */
export interface SignedChanges {
  /** Each change that a signature does not allow, in words. */
  changes: string[];
  /** 1-based numbers of the pages whose objects (or whose presence) changed. */
  pages: number[];
}

const name = (n: string): PDFName => PDFName.of(n);

/** One object's identity for comparison: its syntax, with a stream's contents by their hash. */
function canonical(object: PDFObject | undefined): string {
  if (object === undefined) return '∅';
  if (object instanceof PDFRawStream) return `${object.dict.toString()} stream ${createHash('sha256').update(object.contents).digest('hex')}`;
  return object.toString();
}

function refs(array: PDFObject | undefined): string[] {
  return array instanceof PDFArray ? array.asArray().map((item) => canonical(item)) : array ? [canonical(array)] : [];
}

/** Keys whose values differ between two dictionaries. */
function changedKeys(before: PDFDict | undefined, after: PDFDict | undefined): string[] {
  const keys = new Set([...(before?.keys() ?? []), ...(after?.keys() ?? [])].map((k) => k.decodeText()));
  return [...keys].filter((k) => canonical(before?.get(name(k))) !== canonical(after?.get(name(k))));
}

/** `after` is `before` with items appended; returns the appended ones, or undefined when it is not. */
function appended(before: string[], after: string[]): string[] | undefined {
  if (after.length < before.length || before.some((item, i) => after[i] !== item)) return undefined;
  return after.slice(before.length);
}

export function signedChanges(doc: PdfRevisions, signed: number): SignedChanges {
  const now = doc.last;
  const changes: string[] = [];
  const touched = new Set<number>();
  if (signed === now) return { changes, pages: [] };

  const before = doc.revisions[signed]?.trailer;
  const after = doc.revisions[now]?.trailer;
  for (const key of ['Root', 'Info', 'Encrypt', 'ID']) {
    // A new /ID second element is what any update may write; the first (permanent) one must stay.
    if (key === 'ID') {
      const old = before?.get(name('ID'));
      const cur = after?.get(name('ID'));
      const first = (o: PDFObject | undefined): string => (o instanceof PDFArray ? canonical(o.get(0)) : canonical(o));
      if (first(old) !== first(cur)) changes.push('the trailer’s /ID is replaced');
      continue;
    }
    if (canonical(before?.get(name(key))) !== canonical(after?.get(name(key)))) changes.push(`the trailer’s /${key} is replaced`);
  }

  // Objects that differ between the signed revision and the current one.
  const oldNumbers = doc.numbers(signed);
  const newNumbers = doc.numbers(now);
  const modified = new Set<number>();
  const added = new Set<number>();
  for (const n of newNumbers) {
    if (!oldNumbers.has(n)) added.add(n);
    else if (doc.definedIn(n, now) !== doc.definedIn(n, signed) && canonical(doc.object(n, signed)) !== canonical(doc.object(n, now))) modified.add(n);
  }
  const freed = [...oldNumbers].filter((n) => !newNumbers.has(n));
  for (const n of freed) changes.push(`object ${n} is deleted`);

  // What each permitted change may add: the new signature fields, and what hangs from them.
  const allowed = new Set<number>();
  const newWidgets: string[] = [];
  const rootRef = after?.get(name('Root'));
  const oldCatalog = doc.catalog(signed);
  const newCatalog = doc.catalog(now);

  // The catalog: only the AcroForm and DSS entries may change.
  for (const key of changedKeys(oldCatalog, newCatalog)) {
    if (key !== 'AcroForm' && key !== 'DSS') changes.push(`the document catalog’s /${key} is changed`);
  }
  if (rootRef instanceof PDFRef) allowed.add(rootRef.objectNumber);

  // The AcroForm: /Fields may only grow, by signature fields; /SigFlags may be set.
  const formOld = doc.dict(oldCatalog?.get(name('AcroForm')), signed);
  const formNew = doc.dict(newCatalog?.get(name('AcroForm')), now);
  const formRef = newCatalog?.get(name('AcroForm'));
  if (formRef instanceof PDFRef) allowed.add(formRef.objectNumber);
  for (const key of changedKeys(formOld, formNew)) {
    if (!['Fields', 'SigFlags', 'NeedAppearances', 'DR', 'DA'].includes(key)) changes.push(`the AcroForm’s /${key} is changed`);
  }
  const fieldsOld = doc.resolve(formOld?.get(name('Fields')), signed);
  const fieldsNew = doc.resolve(formNew?.get(name('Fields')), now);
  const fieldsRef = formNew?.get(name('Fields'));
  if (fieldsRef instanceof PDFRef) allowed.add(fieldsRef.objectNumber);
  const newFields = appended(refs(fieldsOld), refs(fieldsNew));
  if (!newFields) changes.push('the AcroForm’s existing fields are changed');
  const fieldList = fieldsNew instanceof PDFArray ? fieldsNew.asArray().slice(refs(fieldsOld).length) : [];
  for (const field of newFields ? fieldList : []) {
    if (!(field instanceof PDFRef) || !added.has(field.objectNumber)) {
      changes.push(`an existing object is added to the AcroForm as a field (${canonical(field)})`);
      continue;
    }
    const dict = doc.dict(field, now);
    if (dict?.get(name('FT')) !== name('Sig')) {
      changes.push(`a field that is not a signature field is added (object ${field.objectNumber})`);
      continue;
    }
    allowed.add(field.objectNumber);
    // The widget is the field itself (merged), or its only kid.
    const kids = doc.resolve(dict.get(name('Kids')), now);
    const widgets = kids instanceof PDFArray ? kids.asArray() : [field];
    for (const widget of widgets) {
      if (!(widget instanceof PDFRef)) continue;
      const w = doc.dict(widget, now);
      if (widget !== field && !added.has(widget.objectNumber)) {
        changes.push(`an existing object is reused as a signature widget (object ${widget.objectNumber})`);
        continue;
      }
      allowed.add(widget.objectNumber);
      newWidgets.push(canonical(widget));
      const rect = doc.resolve(w?.get(name('Rect')), now);
      const numbers = rect instanceof PDFArray ? rect.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : 0)) : [0, 0, 0, 0];
      const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = numbers;
      if (Math.abs(x2 - x1) > 0 && Math.abs(y2 - y1) > 0) changes.push(`a later signature adds a visible appearance (object ${widget.objectNumber}) that may cover what was signed`);
      markReachable(doc, w?.get(name('AP')), now, added, allowed);
    }
    const value = dict.get(name('V'));
    if (value instanceof PDFRef && added.has(value.objectNumber)) allowed.add(value.objectNumber);
    else if (value) changes.push(`a new signature field points at an existing object as its signature (object ${canonical(value)})`);
  }

  // Pages: only /Annots may change, and only by appending the new widgets.
  const oldPages = doc.pages(signed);
  const newPages = doc.pages(now);
  if (oldPages.map(canonical).join() !== newPages.map(canonical).join()) {
    changes.push(`the page tree is changed (${oldPages.length} page(s) signed, ${newPages.length} now)`);
    for (let i = Math.min(oldPages.length, newPages.length); i < Math.max(oldPages.length, newPages.length); i++) touched.add(i + 1);
    newPages.forEach((page, i) => {
      if (canonical(oldPages[i]) !== canonical(page)) touched.add(i + 1);
    });
  }
  newPages.forEach((page, i) => {
    const n = page.objectNumber;
    if (!modified.has(n)) return;
    allowed.add(n);
    const pageOld = doc.dict(page, signed);
    const pageNew = doc.dict(page, now);
    for (const key of changedKeys(pageOld, pageNew)) {
      if (key !== 'Annots') {
        changes.push(`page ${i + 1}’s /${key} is changed`);
        touched.add(i + 1);
        continue;
      }
      const annotsRef = pageNew?.get(name('Annots'));
      if (annotsRef instanceof PDFRef) allowed.add(annotsRef.objectNumber);
      const extra = appended(refs(doc.resolve(pageOld?.get(name('Annots')), signed)), refs(doc.resolve(annotsRef, now)));
      if (!extra || extra.some((a) => !newWidgets.includes(a))) {
        changes.push(`page ${i + 1}’s annotations are changed beyond a new signature widget`);
        touched.add(i + 1);
      }
    }
  });

  // The structure tree: new Form elements for the new widgets, appended.
  allowStructureChanges(doc, signed, now, added, allowed, newWidgets, changes);

  // DSS: validation data may be added and extended.
  markReachable(doc, newCatalog?.get(name('DSS')), now, added, allowed, modified);

  // What each signed page shows, walked once whatever the number of changed objects.
  let shown: Set<number>[] | undefined;
  for (const n of modified) {
    if (allowed.has(n)) continue;
    const object = doc.dict(PDFRef.of(n), now);
    const type = object?.get(name('Type'));
    const info = after?.get(name('Info'));
    const what = info instanceof PDFRef && info.objectNumber === n ? 'the document information' : type instanceof PDFName ? type.decodeText() : doc.resolve(PDFRef.of(n), now) instanceof PDFRawStream ? 'a stream' : 'an object';
    changes.push(`object ${n} (${what}) is changed`);
    // Which pages show it: any page from which the object is reachable.
    shown ??= oldPages.map((page) => reachableFrom(doc, page, signed));
    shown.forEach((objects, i) => {
      if (objects.has(n)) touched.add(i + 1);
    });
  }
  return { changes, pages: [...touched].sort((a, b) => a - b) };
}

/** Marks every new (or, when given, modified) object reachable from `start` as allowed: what hangs from an allowed object. */
function markReachable(doc: PdfRevisions, start: PDFObject | undefined, at: number, added: Set<number>, allowed: Set<number>, modified?: Set<number>): void {
  const stack: PDFObject[] = start ? [start] : [];
  const seen = new Set<number>();
  while (stack.length > 0 && seen.size < 100_000) {
    const object = stack.pop();
    if (object instanceof PDFRef) {
      const n = object.objectNumber;
      if (seen.has(n) || !(added.has(n) || modified?.has(n))) continue;
      seen.add(n);
      allowed.add(n);
      const resolved = doc.object(n, at);
      if (resolved) stack.push(resolved);
    } else if (object instanceof PDFDict) {
      for (const value of object.values()) stack.push(value);
    } else if (object instanceof PDFRawStream) {
      for (const value of object.dict.values()) stack.push(value);
    } else if (object instanceof PDFArray) {
      stack.push(...object.asArray());
    }
  }
}

/** Object numbers reachable from a page (its contents, resources, annotations), not through its parent. */
function reachableFrom(doc: PdfRevisions, page: PDFRef, at: number): Set<number> {
  const seen = new Set<number>([page.objectNumber]);
  const stack: PDFObject[] = [];
  const dict = doc.dict(page, at);
  for (const [key, value] of dict?.entries() ?? []) if (key.decodeText() !== 'Parent') stack.push(value);
  while (stack.length > 0 && seen.size < 100_000) {
    const object = stack.pop();
    if (object instanceof PDFRef) {
      if (seen.has(object.objectNumber)) continue;
      seen.add(object.objectNumber);
      const resolved = doc.object(object.objectNumber, at);
      // A page's /Parent or another page is not part of this page.
      const type = resolved instanceof PDFDict ? resolved.get(PDFName.of('Type')) : undefined;
      if (resolved && type !== PDFName.of('Pages') && type !== PDFName.of('Page')) stack.push(resolved);
    } else if (object instanceof PDFDict) {
      for (const [key, value] of object.entries()) if (key.decodeText() !== 'Parent' && key.decodeText() !== 'P') stack.push(value);
    } else if (object instanceof PDFRawStream) {
      for (const value of object.dict.values()) stack.push(value);
    } else if (object instanceof PDFArray) {
      stack.push(...object.asArray());
    }
  }
  return seen;
}

/**
 * A tagged PDF's signature field joins the structure tree: a new Form element
 * (holding the new widget) appended to the root's or the document element's
 * kids, and appended to the flat parent tree. Nothing else in the tree may change.
 */
function allowStructureChanges(doc: PdfRevisions, signed: number, now: number, added: Set<number>, allowed: Set<number>, newWidgets: string[], changes: string[]): void {
  const rootRef = doc.catalog(now)?.get(name('StructTreeRoot'));
  if (!(rootRef instanceof PDFRef)) return;
  const newForms = new Set<string>();
  for (const n of added) {
    const elem = doc.dict(PDFRef.of(n), now);
    if (elem?.get(name('Type')) !== name('StructElem') || elem.get(name('S')) !== name('Form')) continue;
    const kid = doc.dict(elem.get(name('K')), now);
    if (kid?.get(name('Type')) === name('OBJR') && newWidgets.includes(canonical(kid.get(name('Obj'))))) {
      newForms.add(canonical(PDFRef.of(n)));
      allowed.add(n);
    }
  }
  const onlyNewForms = (extra: string[] | undefined): boolean => extra !== undefined && extra.every((item) => newForms.has(item));
  const rootOld = doc.dict(rootRef, signed);
  const rootNew = doc.dict(rootRef, now);
  allowed.add(rootRef.objectNumber);
  for (const key of changedKeys(rootOld, rootNew)) {
    if (key === 'ParentTreeNextKey') continue;
    if (key === 'K' && onlyNewForms(appended(refs(rootOld?.get(name('K'))), refs(rootNew?.get(name('K')))))) continue;
    changes.push(`the structure tree’s /${key} is changed`);
  }
  const treeRef = rootNew?.get(name('ParentTree'));
  if (treeRef instanceof PDFRef) {
    allowed.add(treeRef.objectNumber);
    const before = doc.dict(treeRef, signed);
    const after = doc.dict(treeRef, now);
    for (const key of changedKeys(before, after)) {
      const extra = key === 'Nums' ? appended(refs(before?.get(name('Nums'))), refs(after?.get(name('Nums')))) : undefined;
      // Appended pairs: a key (a number) and a new Form element.
      if (extra && extra.every((item, i) => (i % 2 === 0 ? /^\d+$/.test(item) : newForms.has(item)))) continue;
      changes.push(`the structure tree’s parent tree /${key} is changed`);
    }
  }
  const documentRef = rootNew?.get(name('K'));
  const top = doc.resolve(documentRef, now);
  const elemRef = top instanceof PDFArray ? top.get(0) : documentRef;
  if (elemRef instanceof PDFRef && !added.has(elemRef.objectNumber)) {
    const before = doc.dict(elemRef, signed);
    const after = doc.dict(elemRef, now);
    if (after?.get(name('Type')) === name('StructElem')) {
      allowed.add(elemRef.objectNumber);
      for (const key of changedKeys(before, after)) {
        if (key === 'K' && onlyNewForms(appended(refs(before?.get(name('K'))), refs(after?.get(name('K')))))) continue;
        changes.push(`a structure element’s /${key} is changed`);
      }
    }
  }
}
