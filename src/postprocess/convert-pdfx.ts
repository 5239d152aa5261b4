import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { letterInstant, type FrontMatter } from '../config/front-matter-schema.ts';
import { ToolMissingError } from '../common/errors.ts';
import { type OutputCondition, outputConditions } from '../config/output-conditions.ts';

const run = promisify(execFile);

/**
 * Ghostscript's CMYK profile (Debian's ghostscript package): US SWOP's output
 * intent, and what every colour is converted with (its pdfwrite takes no other
 * destination profile: -sOutputICCProfile leaves the CMYK values unchanged).
 */
const ghostscriptCmyk = outputConditions['us-swop'].profile;

export class PdfxToolError extends ToolMissingError {}

/** A PostScript string for any text: UTF-16BE in hex, as PDF text strings allow. */
function psText(value: string): string {
  return `<FEFF${Buffer.from(value, 'utf16le').swap16().toString('hex').toUpperCase()}>`;
}

/** Ghostscript's PDF/X-3 definition (lib/PDFX_def.ps), filled in for this letter and its printing condition. */
function pdfxDefinition(meta: FrontMatter, condition: OutputCondition): string {
  const date = `(D:${letterInstant(meta.date).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z)`;
  const { identifier, condition: description, info, profile } = outputConditions[condition];
  const embedded = profile
    ? `[/_objdef {icc_PDFX} /type /stream /OBJ pdfmark
[{icc_PDFX} << /N 4 >> /PUT pdfmark
[{icc_PDFX} (${profile}) (r) file /PUT pdfmark
`
    : '';
  return `%!
[ /GTS_PDFXVersion (PDF/X-3:2002) /Title ${psText(meta.title)} /Author ${psText(meta.author)}
  /CreationDate ${date} /ModDate ${date} /Trapped /False /DOCINFO pdfmark
${embedded}[/_objdef {OutputIntent_PDFX} /type /dict /OBJ pdfmark
[{OutputIntent_PDFX} <<
  /Type /OutputIntent /S /GTS_PDFX
  /OutputCondition ${psText(description)}
  /OutputConditionIdentifier ${psText(identifier)}
  /RegistryName (http://www.color.org)
  /Info ${psText(info)}${profile ? '\n  /DestOutputProfile {icc_PDFX}' : ''}
>> /PUT pdfmark
[{Catalog} << /OutputIntents [ {OutputIntent_PDFX} ] >> /PUT pdfmark
`;
}

const missingGhostscript = 'PDF/X needs Ghostscript, which is not installed: run `apt-get install -y ghostscript` (macOS: `brew install ghostscript`)';

/** Fails with PdfxToolError when Ghostscript or its CMYK profile is missing: checked before a letter is printed. */
export async function checkGhostscript(): Promise<void> {
  if (!existsSync(ghostscriptCmyk)) throw new PdfxToolError(missingGhostscript);
  await run('gs', ['--version']).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' ? new PdfxToolError(missingGhostscript) : error;
  });
}

/**
 * PDF/X-3:2002 from the press-ready PDF, made by Ghostscript (pdfwrite in
 * PDFX mode): colours converted to CMYK, an output intent for the chosen
 * printing condition (default US SWOP) with its profile where letterpress has one, fonts kept
 * embedded, the TrimBox and BleedBox carried over. Printers that ask for
 * PDF/X get this file.
 */
export async function convertToPdfx(pdf: Uint8Array, meta: FrontMatter, condition: OutputCondition = 'us-swop'): Promise<Uint8Array> {
  if (!existsSync(ghostscriptCmyk)) throw new PdfxToolError(missingGhostscript);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-pdfx-'));
  try {
    await writeFile(path.join(dir, 'in.pdf'), pdf);
    await writeFile(path.join(dir, 'pdfx.ps'), pdfxDefinition(meta, condition));
    await run('gs', [
      '-q', '-dBATCH', '-dNOPAUSE', '-dPDFX', '-dNOOUTERSAVE',
      '-sDEVICE=pdfwrite', '-sColorConversionStrategy=CMYK', '-sProcessColorModel=DeviceCMYK', '-dPDFSETTINGS=/prepress',
      `--permit-file-read=${outputConditions[condition].profile ?? ghostscriptCmyk}`,
      `-sOutputFile=${path.join(dir, 'out.pdf')}`,
      path.join(dir, 'pdfx.ps'), path.join(dir, 'in.pdf'),
    ]);
    return new Uint8Array(await readFile(path.join(dir, 'out.pdf')));
  } catch (error) {
    if (error instanceof PdfxToolError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new PdfxToolError(missingGhostscript);
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
