import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, pushGraphicsState, popGraphicsState, rgb, concatTransformationMatrix } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { bundledFaces } from '../../src/fonts/font-faces.ts';
import { loadPdf } from '../../src/pdf/load-pdf.ts';
import { textRuns } from '../../src/pdf/text-runs.ts';

describe('textRuns: where a page’s text objects start, in the page’s coordinates', () => {
  it('follows q/Q, cm, the text matrix and the fill colour, and decodes through ToUnicode', async () => {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const face = bundledFaces.find((f) => f.family === 'Noto Sans SC' && f.weight === 400)!;
    const font = await doc.embedFont(await readFile(face.file), { subset: true, features: { liga: false, locl: false } });
    const page = doc.addPage([595, 842]);
    page.drawText('致', { x: 62, y: 700, size: 9.5, font, color: rgb(0.2, 0.2, 0.2) });
    // Drawn in a scaled and moved coordinate system, as Chromium draws everything.
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(2, 0, 0, 2, 10, 20));
    page.drawText('2023-12', { x: 40, y: 340, size: 4.75, font, color: rgb(0.1, 0.1, 0.1) });
    page.pushOperators(popGraphicsState());
    page.drawText('Body', { x: 62, y: 600, size: 12, font, color: rgb(0, 0, 0) });

    const runs = textRuns(await loadPdf(await doc.save()), 0);
    expect(runs.map((r) => r.text)).toEqual(['致', '2023-12', 'Body']);
    const [to, date, body] = runs;
    expect(to).toMatchObject({ x: 62, y: 700, size: 9.5 });
    expect(to!.color.map((c) => Math.round(c * 10) / 10)).toEqual([0.2, 0.2, 0.2]);
    // 40 × 2 + 10, 340 × 2 + 20, 4.75 × 2.
    expect(date!.x).toBeCloseTo(90, 5);
    expect(date!.y).toBeCloseTo(700, 5);
    expect(date!.size).toBeCloseTo(9.5, 5);
    // Back in the page's own coordinates after Q.
    expect(body).toMatchObject({ x: 62, y: 600, size: 12 });
  });
});
