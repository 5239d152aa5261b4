import type { Command, OptionSpec } from '../command.ts';

// Options several commands share, declared once.
const paper: OptionSpec = { name: 'paper', value: 'a4|letter', help: 'paper size (default: the house style’s, else a4)' };
const config: OptionSpec = { name: 'config', value: 'FILE', help: 'the house style (default: letterpress.config.yaml in the project, else the built-in design)' };
const profile: OptionSpec = { name: 'profile', value: 'pdf|print', default: 'pdf', help: 'pdf: the letter to read and send; print: for the printer (mirrored margins, 3 mm bleed, crop marks, even pages)' };
const archiveDir: OptionSpec = { name: 'archive', value: 'DIR', default: 'dist/archive', help: 'the archive' };
const tsa: OptionSpec = { name: 'tsa', value: 'URL', help: 'add an RFC 3161 time-stamp from this authority to each signature (PAdES B-T); the only network letterpress uses' };
const passwordFile: OptionSpec = { name: 'password-file', value: 'FILE', help: 'read the key’s password from the first line of FILE instead of LETTERPRESS_KEY_PASSWORD' };

/**
 * Every sub-command, in the order --help lists them: the one declaration of its
 * arguments, from which the parser, the usage line and --help are made. A
 * command's code is imported only when it runs: --help and usage errors load
 * none of it, and a build does not load the archive's or the distribution's code.
 */
export const commands: Command[] = [
  {
    name: 'new',
    args: '<name>',
    summary: 'write content/<name>.md from the letter template (today’s date filled in); never overwrites',
    options: [],
    load: () => import('./new.ts'),
  },
  {
    name: 'lint',
    args: '[files…]',
    summary: 'check the Chinese text of each letter (punctuation, quotes, brackets, spacing)',
    options: [{ name: 'fix', help: 'apply the safe fixes in place (nothing else in the file changes)' }],
    load: () => import('./lint.ts'),
  },
  {
    name: 'import',
    args: '<source>',
    summary: 'turn a document exported from an editor (Markdown from Obsidian, Typora, Hexo/Jekyll, GitBook, Notion, Feishu, Yuque; Word .docx) into a new letter',
    options: [
      { name: 'out', value: 'FILE.md', help: 'the new letter (default: content/<name>.md); never overwritten' },
      { name: 'title', value: 'TEXT', help: 'the title, when the document has none' },
      { name: 'date', value: 'YYYY-MM-DD', help: 'the date, when the document has none (default: today)' },
      { name: 'author', value: 'TEXT', help: 'the author, when the document names none (default: the organisation)' },
      { name: 'recipients', value: 'TEXT', help: 'the recipients (default: 全体有限合伙人)' },
      { name: 'organisation', value: 'TEXT', help: 'the organisation (default: the house style’s, or that of the project’s letters)' },
      { name: 'confidentiality', value: 'TEXT', help: 'the confidentiality label (default: that of the project’s letters)' },
    ],
    load: () => import('./import.ts'),
  },
  {
    name: 'dev',
    args: '[file]',
    summary: 'preview a letter (default: the one in content/) as it will print, rebuilt on every change',
    options: [{ name: 'port', value: 'N', help: 'port of the preview on 127.0.0.1 (default: a free one)' }, config],
    load: () => import('./dev.ts'),
  },
  {
    name: 'build',
    args: '[files…]',
    summary: 'build each letter (default: every content/*.md) into the output folder',
    options: [
      { name: 'out', value: 'DIR', default: 'dist', help: 'output folder' },
      config,
      paper,
      profile,
      { name: 'pdfx', help: 'with --profile print: also write <name>.pdfx.pdf (PDF/X-3, through Ghostscript)' },
      { name: 'output-condition', value: 'ID', help: 'with --pdfx: the printing condition, us-swop, japan-color-2001-coated, fogra39, gracol2006-coated1 or gracol2013-crpc6 (default: the house style’s, else us-swop)' },
      { name: 'pdfa', help: 'make <name>.pdf PDF/A-3, carrying its Markdown source, images and build record' },
      { name: 'html-only', help: 'write the HTML only, do not print the PDF' },
      { name: 'assets', value: 'DIR', help: 'shared image folder, inside the project (default: assets)' },
    ],
    load: () => import('./build.ts'),
  },
  {
    name: 'archive',
    args: '[files…]',
    summary: 'build each letter and store it as a new dated version, unless unchanged',
    options: [
      archiveDir,
      config,
      paper,
      profile,
      { name: 'sign', value: 'KEY.p12', help: 'sign each new version’s PDF with this key (PKCS#12)' },
      passwordFile,
      { ...tsa, help: 'time-stamp each new version’s manifest (its letter’s chain head) with this RFC 3161 authority, and each signature with --sign' },
    ],
    load: () => import('./archive.ts'),
  },
  {
    name: 'distribute',
    args: '<letter.md>',
    summary: 'one personalised PDF per LP from one print of the letter',
    options: [
      { name: 'recipients', value: 'FILE.csv', required: true, help: 'UTF-8 CSV with the header id,name[,email][,address]' },
      { name: 'out', value: 'DIR', help: 'folder of copies (default: dist/<letter>-copies)' },
      config,
      paper,
      { ...profile, help: 'pdf: copies to read and send; print: press-ready copies (bleed, crop marks, even pages)' },
      { name: 'mailing', help: 'also DIR/mailing.pdf for the print shop (each copy behind its address page, duplex-safe) and DIR/mailing.csv' },
      { name: 'pdfx', help: 'with --mailing --profile print: also DIR/mailing.pdfx.pdf (PDF/X-3, Ghostscript)' },
      { name: 'encrypt', help: 'encrypt each copy (AES-256, qpdf) with its own password; needs --passwords' },
      { name: 'passwords', value: 'FILE', help: 'where the passwords go (a CSV, with the distribution’s owner password), outside the folder of copies' },
      { name: 'allow', value: 'LIST', help: 'with --encrypt: what a reader may do, from print, print-low, copy, annotate, fill, assemble, modify, or all, none (default: the house style’s, else print)' },
      { name: 'sign', value: 'KEY.p12', help: 'sign each copy with this key (not with --encrypt)' },
      passwordFile,
      tsa,
    ],
    load: () => import('./distribute.ts'),
  },
  {
    name: 'sign',
    args: 'FILE.pdf',
    summary: 'sign a PDF (PAdES B-B, or B-T with --tsa), appended as an incremental update; the first signature certifies the letter',
    options: [
      { name: 'key', value: 'KEY.p12', required: true, help: 'the signer’s key and certificate (PKCS#12)' },
      { name: 'out', value: 'SIGNED.pdf', help: 'where to write the signed PDF (default: FILE.signed.pdf)' },
      passwordFile,
      { name: 'reason', value: 'TEXT', help: 'the reason shown with the signature' },
      { name: 'location', value: 'TEXT', help: 'the place shown with the signature' },
      { name: 'name', value: 'TEXT', help: 'the signer’s name (default: the certificate’s common name)' },
      tsa,
      { name: 'password', value: 'TEXT', help: '', refused: 'never put a password on the command line: set LETTERPRESS_KEY_PASSWORD or use --password-file FILE' },
    ],
    load: () => import('./sign.ts'),
  },
  {
    name: 'verify',
    args: '[FILE.pdf…]',
    summary: 'check the archive: every file against its manifest, every chain; or, given PDFs, their signatures',
    options: [
      archiveDir,
      { name: 'rebuild', help: 'also rebuild each archived version from its source and compare the bytes' },
      { name: 'trust', value: 'CERT', repeatable: true, help: 'a signature is trusted only when its certificate chain ends in CERT (PEM or DER: the signer’s own certificate, or a root)' },
      { name: 'trust-tsa', value: 'CERT', repeatable: true, help: 'a time-stamp is trusted only when its authority’s chain ends in CERT' },
    ],
    load: () => import('./verify.ts'),
  },
  {
    name: 'diff',
    args: '<letter> <vA> <vB>',
    summary: 'redline (HTML and PDF) of the changes between two archived versions',
    options: [
      archiveDir,
      { name: 'out', value: 'DIR', default: 'dist/diff', help: 'where the redline goes' },
      { name: 'source', help: 'show the changes in the Markdown source instead of the letter’s pages' },
      config,
    ],
    load: () => import('./diff.ts'),
  },
  {
    name: 'doctor',
    args: '',
    summary: 'check what letterpress needs (browser, qpdf, Ghostscript, fonts, folders) and say how to fix what is missing',
    options: [],
    load: () => import('./doctor.ts'),
  },
];

export function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.name === name);
}
