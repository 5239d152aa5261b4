import type { Command } from '../command.ts';

/**
 * Every sub-command, in the order --help lists them. A command's code is
 * imported only when it runs: --help and usage errors load none of it, and a
 * build does not load the archive's or the distribution's code.
 */
export const commands: Command[] = [
  {
    name: 'build',
    usage: ['build [files…] [--out DIR] [--paper a4|letter] [--profile pdf|print [--pdfx]] [--pdfa] [--html-only] [--assets DIR]'],
    summary: 'build each letter (default: every content/*.md) into DIR',
    options: [
      ['--out DIR', 'output folder (default: dist)'],
      ['--paper SIZE', 'a4 (default) or letter'],
      ['--profile NAME', 'pdf (default), or print: mirrored margins, 3 mm bleed, crop marks, even pages'],
      ['--pdfx', 'with --profile print: also write <name>.pdfx.pdf (PDF/X-3, Ghostscript)'],
      ['--pdfa', 'make <name>.pdf PDF/A-3, carrying its Markdown source, images and build record'],
      ['--html-only', 'write the HTML only, do not print the PDF'],
      ['--assets DIR', 'shared image folder inside the project (default: assets)'],
    ],
    load: () => import('./build.ts'),
  },
  {
    name: 'distribute',
    usage: ['distribute <letter.md> --recipients FILE.csv [--out DIR] [--paper a4|letter] [--profile pdf|print] [--mailing [--pdfx]] [--encrypt --passwords FILE [--allow LIST] | --sign KEY.p12 [--password-file FILE]]'],
    summary: 'one personalised PDF per LP (CSV: id,name[,email][,address]) from one print of the letter',
    options: [
      ['--recipients FILE', 'UTF-8 CSV with the header id,name[,email][,address]'],
      ['--out DIR', 'folder of copies (default: dist/<letter>-copies)'],
      ['--profile NAME', 'pdf (default), or print: copies press-ready (bleed, crop marks, even pages)'],
      ['--mailing', 'also DIR/mailing.pdf for the print shop (each copy behind its address page) and DIR/mailing.csv'],
      ['--pdfx', 'with --mailing --profile print: also DIR/mailing.pdfx.pdf (PDF/X-3, Ghostscript)'],
      ['--encrypt', 'encrypt each copy (AES-256, qpdf) with its own password'],
      ['--passwords FILE', 'where the passwords go, outside DIR'],
      ['--allow LIST', 'with --encrypt: what a reader may do, from print, print-low, copy, annotate, fill, assemble, modify, or all, none (default: print)'],
      ['--sign KEY.p12', 'sign each copy (not with --encrypt); key password: LETTERPRESS_KEY_PASSWORD or --password-file'],
    ],
    load: () => import('./distribute.ts'),
  },
  {
    name: 'archive',
    usage: ['archive [files…] [--archive DIR] [--paper a4|letter] [--profile pdf|print] [--sign KEY.p12 [--password-file FILE]]'],
    summary: 'build each letter and store it as a new dated version, unless unchanged',
    options: [
      ['--archive DIR', 'the archive (default: dist/archive)'],
      ['--sign KEY.p12', 'sign each new version’s PDF (password: LETTERPRESS_KEY_PASSWORD or --password-file)'],
    ],
    load: () => import('./archive.ts'),
  },
  {
    name: 'verify',
    usage: ['verify [--archive DIR] [--rebuild]', 'verify FILE.pdf…'],
    summary: 'check every archived file against its manifest (--rebuild: rebuild each version and compare), or the signatures of PDFs',
    options: [['--rebuild', 'rebuild each version from its source and compare the bytes']],
    load: () => import('./verify.ts'),
  },
  {
    name: 'diff',
    usage: ['diff <letter> <vA> <vB> [--archive DIR] [--out DIR]'],
    summary: 'redline (HTML and PDF) of the changes between two archived versions',
    options: [['--out DIR', 'where the redline goes (default: dist/diff)']],
    load: () => import('./diff.ts'),
  },
  {
    name: 'sign',
    usage: ['sign FILE.pdf --key KEY.p12 [--out SIGNED.pdf] [--password-file FILE] [--reason TEXT] [--location TEXT] [--name TEXT]'],
    summary: 'sign a PDF (PAdES B-B, appended as an incremental update); the key’s password from LETTERPRESS_KEY_PASSWORD',
    options: [
      ['--key KEY.p12', 'the signer’s key and certificate (PKCS#12)'],
      ['--out SIGNED.pdf', 'where to write the signed PDF (default: FILE.signed.pdf)'],
      ['--password-file FILE', 'read the key’s password from FILE instead of LETTERPRESS_KEY_PASSWORD'],
      ['--reason TEXT', 'the reason shown with the signature'],
      ['--location TEXT', 'the place shown with the signature'],
      ['--name TEXT', 'the signer’s name (default: the certificate’s common name)'],
    ],
    load: () => import('./sign.ts'),
  },
  {
    name: 'lint',
    usage: ['lint [files…] [--fix]'],
    summary: 'check the Chinese text of each letter (punctuation, quotes, brackets, spacing)',
    options: [['--fix', 'apply the safe fixes in place (nothing else in the file changes)']],
    load: () => import('./lint.ts'),
  },
  {
    name: 'dev',
    usage: ['dev [file] [--port N]'],
    summary: 'preview a letter (default: the one in content/) as it will print, rebuilt on every change',
    options: [['--port N', 'port of the preview on 127.0.0.1 (default: a free one)']],
    load: () => import('./dev.ts'),
  },
];

export function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.name === name);
}
