import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Root } from 'hast';
import { hasErrors, parseLetter } from '../pipeline/build-letter.ts';
import { defaultHouseStyle, type HouseStyle } from '../config/house-style-schema.ts';
import { ContentError } from '../common/errors.ts';
import { withBundledFonts } from '../html/standalone-page.ts';
import { houseCss } from '../html/page-css.ts';
import { renderLetterDocument } from '../html/render-document.ts';
import { loadLetters } from '../load/load-letters.ts';
import { withBrowser } from '../chromium/browser.ts';
import { renderPdf } from '../print/render-pdf.ts';
import { projectRoot } from '../common/project-root.ts';
import { tocEntries } from '../toc/render-toc.ts';
import { writeAtomic } from '../write/write-atomic.ts';
import { houseStyleName, readHouseStyleRecord } from './house-style-record.ts';
import { ArchiveError, archiveIoError, listVersions, versionFiles } from './layout.ts';
import { readArchived, readManifest, sha256Of } from './manifest.ts';
import { markChanges } from './redline-blocks.ts';
import { sourceRedline, type SourceSide } from './redline-source.ts';
import { frontMatterChanges, redlineSummary } from './redline-summary.ts';

export { redlineLines } from './redline-source.ts';

export interface RedlineOptions {
  archiveDir: string;
  /** The letter: its slug, or `<date>/<slug>` when a slug is archived under several dates. */
  letter: string;
  from: number;
  to: number;
  outDir: string;
  /** The Markdown source marked line by line, instead of the letter as it prints. */
  source?: boolean;
  /** The house style for a version archived without one (default: the built-in design). */
  house?: HouseStyle;
  log: (line: string) => void;
}

interface Side extends SourceSide {
  /** The house style it was archived with, if any. */
  house?: HouseStyle;
}

const stylesDir = path.join(projectRoot, 'styles');

/**
 * Writes `<slug>-v<A>-v<B>.html` and `.pdf` into outDir: version B as it
 * prints, in its own design, with what changed since A marked and summed up
 * (or, with `source`, B's Markdown with the changes marked line by line).
 */
export async function writeRedline(options: RedlineOptions): Promise<{ html: string; pdf: string; inserted: number; deleted: number }> {
  const [a, b] = await Promise.all([readSide(options, options.from), readSide(options, options.to)]);
  const house = b.house ?? options.house ?? defaultHouseStyle;
  const redline = options.source ? await sourceDocument(a, b, house) : await letterDocument(a, b, house);
  const base = path.join(options.outDir, `${a.version.slug}-v${a.version.version}-v${b.version.version}`);
  try {
    await mkdir(options.outDir, { recursive: true });
    await writeAtomic(`${base}.html`, redline.html);
    await writeAtomic(`${base}.pdf`, redline.pdf);
  } catch (error) {
    throw archiveIoError(error);
  }
  options.log(`diff      ${a.version.rel} → ${b.version.rel}: +${redline.inserted} −${redline.deleted} character(s)`);
  return { html: `${base}.html`, pdf: `${base}.pdf`, inserted: redline.inserted, deleted: redline.deleted };
}

interface Redline {
  html: string;
  pdf: Uint8Array;
  inserted: number;
  deleted: number;
}

/** The source view, its fonts cut to its own characters and inlined. */
async function sourceDocument(a: Side, b: Side, house: HouseStyle): Promise<Redline> {
  const css = await readFile(path.join(stylesDir, 'redline-source.css'), 'utf8');
  const { tree, inserted, deleted } = sourceRedline(a, b, `${houseCss(house)}\n${css}`);
  const html = await withBundledFonts(tree, '0123456789');
  const pdf = await withBrowser(async (browser) => (await renderPdf(browser, html)).pdf);
  return { html, pdf, inserted, deleted };
}

/** Version B as it prints, with the changes marked: both versions through the Markdown stage, aligned block by block. */
async function letterDocument(a: Side, b: Side, house: HouseStyle): Promise<Redline> {
  const [older, newer] = await Promise.all([parseSide(a, a.house ?? house), parseSide(b, house)]);
  const marked = markChanges(older.body, newer.body);
  const meta = newer.meta;
  const summary = redlineSummary({
    from: a.version.version,
    to: b.version.version,
    lang: meta.lang,
    inserted: marked.inserted,
    deleted: marked.deleted,
    sections: marked.sections,
    frontMatter: frontMatterChanges(older.meta, meta, meta.lang),
  });
  const css = await readFile(path.join(stylesDir, 'redline.css'), 'utf8');
  const document = await renderLetterDocument({
    // Both sources: the deleted text is shown too.
    source: `${a.source}\n${b.source}`,
    body: marked.body,
    meta,
    headings: newer.headings,
    page: { paper: b.manifest.paper, profile: 'pdf' },
    house,
    prelude: [summary],
    css,
  });
  const entries = tocEntries(newer.headings, meta.toc);
  const pdf = await withBrowser(async (browser) => (await renderPdf(browser, document, { tocTargets: entries.map((e) => e.id) })).pdf);
  return { html: await document.file(), pdf, inserted: marked.inserted, deleted: marked.deleted };
}

/** An archived version through the Markdown stage, read from its own folder (its images are there). */
async function parseSide(side: Side, house: HouseStyle) {
  const [file] = await loadLetters([path.join(side.version.dir, versionFiles(side.version.slug).source)], side.version.dir);
  if (!file) throw new Error(`${side.version.rel}: no source`);
  file.data.house = house;
  const { body } = await parseLetter(file);
  const meta = file.data.frontMatter;
  if (hasErrors(file) || !meta) throw new ContentError([file]);
  return { body: body as Root, meta, headings: file.data.headings ?? [] };
}

async function readSide(options: RedlineOptions, number: number): Promise<Side> {
  try {
    return await readVersion(options, number);
  } catch (error) {
    throw archiveIoError(error);
  }
}

async function readVersion(options: RedlineOptions, number: number): Promise<Side> {
  if (!(await stat(options.archiveDir).catch(() => undefined))?.isDirectory()) {
    throw new ArchiveError(`there is no archive at ${options.archiveDir}; name it with --archive DIR (default dist/archive)`);
  }
  const all = await listVersions(options.archiveDir);
  const matches = all.filter((v) => v.slug === options.letter || `${v.date}/${v.slug}` === options.letter);
  const letters = new Set(matches.map((v) => `${v.date}/${v.slug}`));
  if (letters.size === 0) {
    const known = [...new Set(all.map((v) => v.slug))];
    throw new ArchiveError(`no letter \`${options.letter}\` in the archive ${options.archiveDir}; ${known.length > 0 ? `it holds ${known.join(', ')}` : 'it is empty'}`);
  }
  if (letters.size > 1) throw new ArchiveError(`\`${options.letter}\` is archived under several dates; name one of ${[...letters].join(', ')}`);
  const version = matches.find((v) => v.version === number);
  if (!version) throw new ArchiveError(`${[...letters][0]} has no v${number} (it has ${matches.map((v) => `v${v.version}`).join(', ')})`);
  const { manifest } = await readManifest(version).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ELOOP') throw new ArchiveError(`${version.rel} has no manifest of its own; run \`letterpress verify\``);
    throw error;
  });
  // A redline of a tampered file would put words or a design in the letter that were never archived.
  const checked = async (name: string): Promise<Buffer> => {
    const bytes = await readArchived(path.join(version.dir, name)).catch(() => undefined);
    if (!bytes || sha256Of(bytes) !== manifest.files[name]?.sha256) throw new ArchiveError(`${version.rel}/${name} does not match its manifest; run \`letterpress verify\``);
    return bytes;
  };
  const source = (await checked(versionFiles(version.slug).source)).toString('utf8');
  const house = manifest.files[houseStyleName] ? readHouseStyleRecord((await checked(houseStyleName)).toString('utf8')) : undefined;
  return { version, manifest, source, house };
}
