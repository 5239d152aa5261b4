import { PDFArray, PDFDict, PDFName, PDFRef, type PDFDocument } from 'pdf-lib';

/**
 * The page number (1-based, as the footer counts) of every named destination
 * in a Chromium PDF. Chromium writes one into the catalog's /Dests for each
 * element id that an internal link points at, so the TOC's links name its headings.
 */
export function readDestinationPages(doc: PDFDocument): Map<string, number> {
  const pageIndex = new Map(doc.getPages().map((page, i) => [page.ref.toString(), i + 1]));
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  const pages = new Map<string, number>();
  for (const [name, value] of dests?.entries() ?? []) {
    const target = doc.context.lookupMaybe(value, PDFArray)?.get(0);
    const page = target instanceof PDFRef ? pageIndex.get(target.toString()) : undefined;
    if (page !== undefined) pages.set(decodeName(name), page);
  }
  return pages;
}

/** PDF names escape bytes as #xx, and Chromium writes the id percent-encoded as in a URL fragment (Chinese ids are). */
function decodeName(name: PDFName): string {
  const raw = name.asString().slice(1);
  const bytes = raw.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const fragment = Buffer.from(bytes, 'latin1').toString('utf8');
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}
