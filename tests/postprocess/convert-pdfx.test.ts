import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { FrontMatter } from '../../src/config/front-matter-schema.ts';
import { defaultHouseStyle } from '../../src/config/house-style-schema.ts';
import { convertToPdfx } from '../../src/postprocess/convert-pdfx.ts';

const meta: FrontMatter = { title: '信', recipients: 'LP', date: '2024-10', author: '拾象', organisation: '拾象', lang: 'zh-CN', confidentiality: '保密', keywords: [], toc: true };

/** The PDF's objects as text (qpdf's QDF form), where the output intent's keys can be read. */
async function objects(pdf: Uint8Array): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-pdfx-'));
  const file = path.join(dir, 'x.pdf');
  await writeFile(file, pdf);
  return execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, '-'], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
}

describe('convertToPdfx', () => {
  it('names the output condition the house style gives, and Ghostscript’s by default', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]);
    const pdf = await doc.save();
    expect(await objects(await convertToPdfx(pdf, meta))).toContain('/OutputConditionIdentifier (CGATS TR001)');
    const intent = { ...defaultHouseStyle.pdfx, outputCondition: 'FOGRA39 coated', outputConditionIdentifier: 'FOGRA39' };
    const shown = await objects(await convertToPdfx(pdf, meta, intent));
    expect(shown).toContain('/OutputConditionIdentifier (FOGRA39)');
    expect(shown).toContain('/OutputCondition (FOGRA39 coated)');
  });
});
