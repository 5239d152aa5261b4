import { lstat, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { writeDurably } from '../write/write-atomic.ts';
import { docxToMarkdown } from './docx-to-markdown.ts';
import { ImportError } from './import-error.ts';
import { type Given, type HouseStyle, type ImportChange, mapFrontMatter } from './map-front-matter.ts';
import { imageReferences, markdownImage, normaliseDialects } from './normalise-dialects.ts';

export interface ImportOptions {
  /** The exported document (Markdown or .docx), as named on the command line. */
  source: string;
  /** Where the letter goes (default: content/<name>.md). */
  out?: string;
  cwd: string;
  /** Keys given on the command line. */
  given: Given;
  /** Today's date (YYYY-MM-DD), for a document that has none. */
  today: string;
}

export interface ImportResult {
  /** The new letter, relative to cwd. */
  letter: string;
  /** The images copied beside it, relative to cwd. */
  images: string[];
  changes: ImportChange[];
}

const markdownExtensions = new Set(['.md', '.markdown', '.mdown', '.txt']);

/** The letter's name from the document's: Notion's trailing id dropped, spaces as hyphens. */
function letterName(source: string): string {
  const base = path.basename(source, path.extname(source)).replace(/\s+[0-9a-f]{32}$/i, '');
  return base.trim().replace(/\s+/g, '-').replace(/[\\/:*?"<>|#%]/g, '') || 'letter';
}

/** The organisation and confidentiality line of the project's letters, or a fund's defaults. */
async function houseStyle(cwd: string): Promise<HouseStyle> {
  const fallback: HouseStyle = { organisation: '拾象', confidentiality: '保密' };
  const content = path.join(cwd, 'content');
  const names = (await readdir(content).catch(() => [])).filter((n) => n.endsWith('.md')).sort();
  for (const name of names) {
    const text = await readFile(path.join(content, name), 'utf8').catch(() => '');
    const yaml = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1];
    if (!yaml) continue;
    try {
      const data = parse(yaml) as Record<string, unknown>;
      if (typeof data.organisation === 'string' && typeof data.confidentiality === 'string') return { organisation: data.organisation, confidentiality: data.confidentiality };
    } catch {
      // A letter with broken front matter says nothing of the house style.
    }
  }
  return fallback;
}

const exists = (file: string): Promise<boolean> =>
  lstat(file).then(
    () => true,
    () => false,
  );

/**
 * Where an image the document names is: beside the document (or at the
 * absolute path it gives); for a site's root path (`/assets/a.png`), under
 * the nearest folder above that has it; for Hexo's `asset_img`, in the
 * post's asset folder; for an Obsidian embed (a bare name), in the vault's
 * usual places above the note. Only these paths are looked at.
 */
async function findImage(url: string, sourceDir: string, sourceName: string): Promise<string | undefined> {
  let name = url.split(/[?#]/)[0] ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not percent-encoded: taken as written.
  }
  if (name.startsWith('file://')) name = name.slice('file://'.length);
  const candidates: string[] = [];
  if (path.isAbsolute(name)) candidates.push(name);
  candidates.push(path.resolve(sourceDir, name.replace(/^\/+/, '')), path.resolve(sourceDir, sourceName, name));
  let dir = sourceDir;
  for (let up = 0; up < 3; up++) {
    dir = path.dirname(dir);
    for (const folder of ['', 'attachments', 'assets', 'images']) candidates.push(path.resolve(dir, folder, name.replace(/^\/+/, '')));
  }
  for (const candidate of candidates) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  return undefined;
}

/**
 * Turns a document as an editor exported it into a letter: its front matter
 * mapped and completed, its dialect normalised, its images copied into the
 * letter's folder (`<name>-images/`). Reads only the document and the images
 * it names; writes only new files, and removes them again if it fails.
 */
export async function importDocument(options: ImportOptions): Promise<ImportResult> {
  const { cwd } = options;
  const source = path.resolve(cwd, options.source);
  const info = await stat(source).catch(() => undefined);
  if (!info?.isFile()) throw new ImportError(`${options.source} not found: name the exported document (.md or .docx)`);
  const extension = path.extname(source).toLowerCase();
  if (extension !== '.docx' && !markdownExtensions.has(extension)) throw new ImportError(`${options.source} is neither Markdown (.md) nor Word (.docx): export the document as one of them`);
  const name = letterName(source);
  const letter = path.resolve(cwd, options.out ?? path.join('content', `${name}.md`));
  if (!letter.endsWith('.md')) throw new ImportError(`--out ${options.out ?? ''} must name a .md file`);
  if (await exists(letter)) throw new ImportError(`${path.relative(cwd, letter)} exists: import never overwrites a letter; name another with --out`);
  const letterDir = path.dirname(letter);
  const imageFolder = `${path.basename(letter, '.md')}-images`;
  const changes: ImportChange[] = [];
  const copies: { from?: string; bytes?: Buffer; to: string }[] = [];

  let yaml: string | undefined;
  let body: string;
  if (extension === '.docx') {
    const docx = await docxToMarkdown(source, imageFolder);
    body = docx.markdown;
    for (const image of docx.images) copies.push({ bytes: image.bytes, to: image.name });
    for (const message of docx.messages) changes.push({ line: 0, text: `Word: ${message}` });
    changes.push({ line: 0, text: `converted from Word (.docx): ${docx.images.length} image(s)` });
  } else {
    const text = (await readFile(source, 'utf8')).replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
    const front = /^---\n([\s\S]*?)\n(?:---|\.\.\.)\n/.exec(text);
    yaml = front?.[1];
    const firstLine = front ? front[0].split('\n').length : 1;
    let rest = front ? text.slice(front[0].length) : text;
    // Notion writes a page's properties as `Key: value` lines under its title: they are its front matter.
    const notion = front ? null : /^(# .+\n\n)((?:[^\s:：][^:：\n]{0,30}: .+\n)+)\n?/.exec(rest);
    if (notion?.[1] && notion[2]) {
      const properties = notion[2].trimEnd().split('\n').map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)] as const);
      yaml = stringify(Object.fromEntries(properties.map(([key, value]) => [key.toLowerCase(), key.toLowerCase() === 'tags' ? value.split(/,\s*/) : value])));
      changes.push({ line: 3, text: `Notion properties (${properties.map(([key]) => key).join(', ')}) taken as front matter` });
      // Blank lines in their place: the lines after keep their numbers in the report.
      rest = notion[1] + '\n'.repeat(notion[0].length - notion[1].length - notion[0].slice(notion[1].length).replace(/\n/g, '').length) + rest.slice(notion[0].length);
    }
    const normalised = normaliseDialects(rest, firstLine);
    changes.push(...normalised.changes);
    body = normalised.text;
    // Images: copied beside the letter, the references rewritten to the copies.
    const taken = new Set<string>();
    const copied = new Map<string, string>();
    for (const ref of imageReferences(body, firstLine)) {
      if (/^data:/i.test(ref.url) || copied.has(ref.url)) continue;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref.url) && !/^file:/i.test(ref.url)) {
        changes.push({ line: ref.line, text: `image ${ref.url} is on the network, which a letter never reads: save it beside the document and import again` });
        continue;
      }
      const found = await findImage(ref.url, path.dirname(source), path.basename(source, extension));
      if (!found) {
        changes.push({ line: ref.line, text: `image ${ref.url} not found beside the document: left as written` });
        continue;
      }
      const base = path.basename(found);
      let target = base;
      for (let n = 2; taken.has(target.toLowerCase()); n++) target = `${path.basename(base, path.extname(base))}-${n}${path.extname(base)}`;
      taken.add(target.toLowerCase());
      copies.push({ from: found, to: target });
      copied.set(ref.url, `${imageFolder}/${target}`);
      changes.push({ line: ref.line, text: `image ${ref.url} copied to ${path.relative(cwd, path.join(letterDir, imageFolder, target))}` });
    }
    body = rewriteImages(body, copied);
  }

  const firstHeading = /^#{1,6}\s+(.+?)\s*#*\s*$/m.exec(body)?.[1]?.replace(/[*_`]/g, '');
  const mapped = mapFrontMatter(yaml, { firstHeading, fileTitle: name, today: options.today, given: options.given, house: await houseStyle(cwd) });
  changes.unshift(...mapped.changes);
  const document = `---\n${stringify(mapped.frontMatter, { lineWidth: 0 })}---\n\n${body.replace(/^\n+/, '')}`;

  // Written new, never over anything: the images first, the letter last; a failure takes back what this run wrote.
  const written: string[] = [];
  try {
    await mkdir(letterDir, { recursive: true });
    if (copies.length > 0) await mkdir(path.join(letterDir, imageFolder), { recursive: true });
    for (const copy of copies) {
      const target = path.join(letterDir, imageFolder, copy.to);
      if (await exists(target)) throw new ImportError(`${path.relative(cwd, target)} exists: import never overwrites a file; move it or name another letter with --out`);
      await writeDurably(target, copy.bytes ?? (await readFile(copy.from ?? '')));
      written.push(target);
    }
    await writeDurably(letter, document);
    written.push(letter);
  } catch (error) {
    await Promise.all(written.map((file) => rm(file, { force: true })));
    if (error instanceof ImportError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ImportError(`cannot write ${path.relative(cwd, letter)} (${code}): check the folder can be written to`);
  }
  return { letter: path.relative(cwd, letter), images: written.slice(0, -1).map((f) => path.relative(cwd, f)), changes: changes.sort((a, b) => a.line - b.line) };
}

/** Each image reference rewritten to its copy; an Obsidian embed becomes a Markdown image. */
function rewriteImages(body: string, copied: ReadonlyMap<string, string>): string {
  const target = (url: string): string | undefined => copied.get(url);
  const link = (file: string): string => (/[\s()<>]/.test(file) ? `<${file}>` : file);
  return body
    .replace(markdownImage, (whole, head: string, url: string) => {
      const copy = target(url.replace(/^<|>$/g, ''));
      return copy ? `${head}${link(copy)}` : whole;
    })
    .replace(/(<img\b[^>]*?\bsrc=["'])([^"']+)/gi, (whole, head: string, url: string) => {
      const copy = target(url);
      return copy ? `${head}${copy}` : whole;
    })
    .replace(/!\[\[([^\]|]+)(?:\|([^\]]*))?\]\]/g, (whole, url: string, alias?: string) => {
      const copy = target(url);
      if (!copy) return whole;
      const width = alias && /^\d+$/.test(alias) ? alias : undefined;
      return width ? `<img src="${copy}" width="${width}">` : `![${alias ?? path.basename(url, path.extname(url))}](${link(copy)})`;
    });
}
