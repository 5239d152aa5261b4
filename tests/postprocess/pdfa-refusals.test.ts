import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFHexString, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { PdfaError, toPdfA } from '../../src/postprocess/pdfa.ts';

/** A finished, untagged PDF as letterpress's finalize step leaves it: Info, dates and an /ID. */
async function finished(edit: (doc: PDFDocument) => void = () => {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Plain');
  doc.setCreationDate(new Date(Date.UTC(2024, 5, 30)));
  doc.setModificationDate(new Date(Date.UTC(2024, 5, 30)));
  doc.addPage([200, 200]).drawRectangle({ x: 10, y: 10, width: 50, height: 50 });
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of('00112233'), PDFHexString.of('00112233')]);
  edit(doc);
  return doc.save();
}

describe('toPdfA on PDFs outside the happy path', () => {
  it('an untagged PDF becomes level B, not A', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-pdfa-b-'));
    await writeFile(path.join(dir, 'b.pdf'), await toPdfA(await finished(), []));
    const xmp = execFileSync('pdfinfo', ['-meta', path.join(dir, 'b.pdf')], { encoding: 'utf8' });
    expect(xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
  });

  it('the same input gives the same bytes', async () => {
    const input = await finished();
    const files = [{ name: 'a.md', data: Buffer.from('# a\n'), mime: 'text/markdown', relationship: 'Source' as const, description: 'source' }];
    expect(Buffer.from(await toPdfA(input, files)).equals(Buffer.from(await toPdfA(input, files)))).toBe(true);
  });

  it('refuses JavaScript, a PDF without an /ID and an unembedded font, naming the clause', async () => {
    const js = await finished((doc) => doc.catalog.set(PDFName.of('OpenAction'), doc.context.obj({ S: 'JavaScript', JS: PDFHexString.fromText('app.alert(1)') })));
    await expect(toPdfA(js, [])).rejects.toThrow(PdfaError);
    await expect(toPdfA(js, [])).rejects.toThrow(/6\.5/);
    const noId = await finished((doc) => {
      delete doc.context.trailerInfo.ID;
    });
    await expect(toPdfA(noId, [])).rejects.toThrow(/no \/ID/);
    // pdf-lib's standard Helvetica is referenced, not embedded.
    const helvetica = await finished((doc) => doc.getPage(0).drawText('plain'));
    await expect(toPdfA(helvetica, [])).rejects.toThrow(/font \/Helvetica is not embedded \(ISO 19005-3 6\.2\.11\.4\.1\)/);
  });
});
