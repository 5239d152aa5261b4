import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { footerText, isRunningMatter, readPdf, type PdfPage } from './pdf.ts';

export interface TocCheck {
  /** The entry's title as printed in the TOC. */
  title: string;
  /** The number printed at the end of the entry. */
  printed: number;
  /** The page the entry's link destination opens. */
  destination: number;
  /** The page where the heading's text stands in the body. */
  found: number | undefined;
  /** The number in that page's footer (第 n 页). */
  footer: number | undefined;
  /** The page the TOC entry itself is on. */
  tocPage: number;
}

interface Rect {
  page: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

const inside = (r: Rect, x: number, y: number): boolean => x >= r.x1 - 1 && x <= r.x2 + 1 && y >= r.y1 - 1 && y <= r.y2 + 1;

async function destinationPage(doc: PDFDocumentProxy, dest: unknown): Promise<number> {
  const explicit = typeof dest === 'string' ? await doc.getDestination(dest) : (dest as unknown[]);
  const ref = explicit?.[0] as { num: number; gen: number };
  return (await doc.getPageIndex(ref)) + 1;
}

/**
 * Reads the TOC back out of a PDF: every internal link is a TOC entry; its
 * printed number, its destination's page, the page where the heading's text
 * stands outside any link, and that page's footer number.
 */
export async function readToc(data: Uint8Array): Promise<TocCheck[]> {
  const pages: PdfPage[] = await readPdf(data);
  const doc = await getDocument({ data: new Uint8Array(data), isEvalSupported: false }).promise;
  const links: (Rect & { dest: unknown })[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const annotations = await (await doc.getPage(n)).getAnnotations();
    for (const a of annotations) {
      if (a.subtype === 'Link' && a.dest) {
        const [x1, y1, x2, y2] = a.rect as [number, number, number, number];
        links.push({ page: n, x1, y1, x2, y2, dest: a.dest });
      }
    }
  }
  const footerNumber = (page: PdfPage): number | undefined => {
    const match = /第\s*(\d+)\s*页/.exec(footerText(page));
    return match ? Number(match[1]) : undefined;
  };
  const checks: TocCheck[] = [];
  for (const link of links) {
    const page = pages[link.page - 1]!;
    const texts = page.items.filter((i) => inside(link, i.x + 0.5, i.y + 1));
    const number = texts.filter((i) => /^\d+$/.test(i.str.trim())).at(-1);
    const title = texts
      .filter((i) => i !== number)
      .map((i) => i.str)
      .join('')
      .trim();
    // The heading itself: the same text, outside every link (the TOC's entries are links) and outside the running header.
    const found = pages.find((p) =>
      p.items.some((i) => i.str.trim() === title && !isRunningMatter(p, i) && !links.some((l) => l.page === p.number && inside(l, i.x + 0.5, i.y + 1))),
    );
    checks.push({
      title,
      printed: Number(number?.str.trim()),
      destination: await destinationPage(doc, link.dest),
      found: found?.number,
      footer: found ? footerNumber(found) : undefined,
      tocPage: link.page,
    });
  }
  await doc.destroy();
  return checks;
}
