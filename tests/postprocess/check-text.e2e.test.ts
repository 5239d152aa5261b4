import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VFile } from 'vfile';
import { describe, expect, inject, it } from 'vitest';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';
import { loadPdf } from '../../src/pdf/load-pdf.ts';
import { pdfText } from '../../src/pdf/pdf-text.ts';
import { checkText } from '../../src/postprocess/check-text.ts';
import { projectRoot } from '../support/run-cli.ts';

const memoPdf = (): string => path.join(inject('memoOut'), '2023-12-llm-observations.pdf');
const memoSource = readFileSync(path.join(projectRoot, 'content/2023-12-llm-observations.md'), 'utf8');
const sortedChars = (text: string): string => [...text.normalize('NFKC').replace(/\s+/g, '')].sort().join('');

async function sourceFile(text: string): Promise<VFile> {
  const file = new VFile({ path: 'content/2023-12-llm-observations.md', cwd: projectRoot, value: text });
  await processMarkdown(file);
  return file;
}

describe('the printed PDF holds every word of the source', () => {
  it('reads the same characters from the PDF as poppler’s pdftotext (in content order, so nothing is joined)', async () => {
    const ours = pdfText(await loadPdf(readFileSync(memoPdf())));
    const poppler = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', memoPdf(), '-'], { encoding: 'utf8' });
    expect(ours.length).toBeGreaterThan(3000);
    expect(sortedChars(ours)).toBe(sortedChars(poppler));
  });

  it('finds every piece of the memo’s text in its PDF, across page breaks', async () => {
    const file = await sourceFile(memoSource);
    expect(file.data.visibleText?.length).toBeGreaterThan(40);
    checkText(await loadPdf(readFileSync(memoPdf())), file);
    expect(file.messages.filter((m) => m.fatal)).toEqual([]);
  });

  it('names the line of the first text the PDF lacks', async () => {
    // The source holds a sentence the printed PDF does not: it was lost on the way.
    const lines = memoSource.split('\n');
    const at = lines.findIndex((l) => l.startsWith('6) '));
    lines.splice(at, 0, '', '净值表中的这一句从未印出。', '');
    const file = await sourceFile(lines.join('\n'));
    checkText(await loadPdf(readFileSync(memoPdf())), file);
    const errors = file.messages.filter((m) => m.fatal).map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.reason}`);
    expect(errors).toEqual([`${at + 2}:1 text-lost text “净值表中的这一句从未印出。” is missing from the printed PDF: nothing was written; please report it with the letter`]);
  });
});
