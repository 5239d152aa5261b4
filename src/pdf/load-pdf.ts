import { ParseSpeeds, PDFDocument } from 'pdf-lib';

/** Parses a PDF in one go: pdf-lib otherwise yields to the event loop every 100 objects, which only slows a CLI down. */
export function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
}
