import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { diffChars } from 'diff';
import { writeAtomic } from '../write/write-atomic.ts';
import { escapeHtml } from '../html/escape-html.ts';
import { fontFaceCss } from '../fonts/fonts.ts';
import { withBrowser } from '../pdf/browser.ts';
import { renderPdf } from '../pdf/render-pdf.ts';
import { minute } from './catalogue.ts';
import { ArchiveError, archiveIoError, listVersions, versionFiles, type StoredVersion } from './layout.ts';
import { readArchived, readManifest, sha256Of, type Manifest } from './manifest.ts';

export interface RedlineOptions {
  archiveDir: string;
  /** The letter: its slug, or `<date>/<slug>` when a slug is archived under several dates. */
  letter: string;
  from: number;
  to: number;
  outDir: string;
  log: (line: string) => void;
}

interface Side {
  version: StoredVersion;
  manifest: Manifest;
  source: string;
}

/** Writes `<slug>-v<A>-v<B>.html` and `.pdf` into outDir: version B's source with what changed since A marked. */
export async function writeRedline(options: RedlineOptions): Promise<{ html: string; pdf: string; inserted: number; deleted: number }> {
  const [a, b] = await Promise.all([readSide(options, options.from), readSide(options, options.to)]);
  const redline = renderRedline(a, b);
  const html = await withFonts(redline.html);
  const pdf = await withBrowser(async (browser) => (await renderPdf(browser, html)).pdf);
  const base = path.join(options.outDir, `${a.version.slug}-v${a.version.version}-v${b.version.version}`);
  try {
    await mkdir(options.outDir, { recursive: true });
    await writeAtomic(`${base}.html`, html);
    await writeAtomic(`${base}.pdf`, pdf);
  } catch (error) {
    throw archiveIoError(error);
  }
  options.log(`diff      ${a.version.rel} → ${b.version.rel}: +${redline.inserted} −${redline.deleted} character(s)`);
  return { html: `${base}.html`, pdf: `${base}.pdf`, inserted: redline.inserted, deleted: redline.deleted };
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
  const name = versionFiles(version.slug).source;
  const bytes = await readArchived(path.join(version.dir, name)).catch(() => undefined);
  // A redline of a tampered source would put words in the letter that were never archived.
  if (!bytes || sha256Of(bytes) !== manifest.files[name]?.sha256) throw new ArchiveError(`${version.rel}/${name} does not match its manifest; run \`letterpress verify\``);
  return { version, manifest, source: bytes.toString('utf8') };
}

interface Segment {
  kind: 'same' | 'ins' | 'del';
  text: string;
}

/**
 * The lines of B, each a run of segments: text both share, text B inserted,
 * and text A had there that B deleted (a deleted line break shows as ⏎ and
 * joins the lines, as they are in B). Diffed per character (code point),
 * which is the unit of Chinese text.
 */
export function redlineLines(a: string, b: string): { lines: Segment[][]; inserted: number; deleted: number } {
  const lines: Segment[][] = [[]];
  let inserted = 0;
  let deleted = 0;
  for (const change of diffChars(a, b)) {
    const kind = change.added ? 'ins' : change.removed ? 'del' : 'same';
    if (kind === 'ins') inserted += change.count;
    if (kind === 'del') deleted += change.count;
    const pieces = change.value.split('\n');
    pieces.forEach((piece, i) => {
      if (i > 0) {
        if (kind === 'same') lines.push([]);
        else {
          lines.at(-1)!.push({ kind, text: '⏎' });
          if (kind === 'ins') lines.push([]);
        }
      }
      if (piece) lines.at(-1)!.push({ kind, text: piece });
    });
  }
  return { lines, inserted, deleted };
}

function renderRedline(a: Side, b: Side): { html: string; inserted: number; deleted: number } {
  const { lines, inserted, deleted } = redlineLines(a.source, b.source);
  const changed = lines.flatMap((segments, i) => (segments.some((s) => s.kind !== 'same') ? [i + 1] : []));
  const rows = lines.map((segments, i) => {
    const text = segments.map((s) => (s.kind === 'same' ? escapeHtml(s.text) : `<${s.kind}>${escapeHtml(s.text)}</${s.kind}>`)).join('');
    return `<li id="l${i + 1}"${changed.includes(i + 1) ? ' class="changed"' : ''}><span class="no">${i + 1}</span><span class="text">${text}</span></li>`;
  });
  const side = (s: Side, label: string): string =>
    `<div><dt>${label}</dt><dd><b>v${s.version.version}</b> · ${s.manifest.pages} 页<br>归档于 ${escapeHtml(minute(s.manifest.builtAt))}<br><code>源文件 ${s.manifest.files[versionFiles(s.version.slug).source]?.sha256.slice(0, 16) ?? ''}…</code></dd></div>`;
  const html = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; font-src data:">
<title>修订对照 · ${escapeHtml(b.manifest.title)} · v${a.version.version} → v${b.version.version}</title>
<style>
/* fonts */
</style>
<style>
@page { size: A4; margin: 20mm 18mm 18mm;
  @top-right { content: "修订对照 v${a.version.version} → v${b.version.version}"; font: 8pt "Noto Sans SC", sans-serif; color: #6b6b6b; }
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font: 8pt "Noto Sans SC", sans-serif; color: #6b6b6b; }
}
html { font: 10.5pt/1.75 var(--serif); color: #1a1a1a; line-break: strict; overflow-wrap: break-word; }
body { margin: 0 auto; max-width: 52rem; padding: 0 0 2rem; }
header { font-family: var(--sans); border-bottom: 2px solid #6b1f1f; padding-bottom: 3mm; margin-bottom: 5mm; }
.kind { margin: 0; font-size: 9pt; letter-spacing: .1em; color: #6b1f1f; }
h1 { font-size: 15pt; margin: 1mm 0 3mm; }
dl { display: grid; grid-template-columns: 1fr 1fr 1.2fr; gap: 6mm; margin: 0; font-size: 8.5pt; line-height: 1.5; }
dt { color: #6b6b6b; }
dd { margin: 0; white-space: nowrap; }
code { font-size: 7.5pt; color: #6b6b6b; }
.summary { font-family: var(--sans); font-size: 9pt; margin: 3mm 0 0; }
.summary a { color: inherit; }
ol { list-style: none; margin: 0; padding: 0; }
li { display: flex; gap: 4mm; min-height: 1.75em; break-inside: avoid; border-left: 2.5pt solid transparent; padding-left: 2mm; }
li.changed { border-left-color: #6b1f1f; background: #fbf8f3; }
.no { flex: 0 0 8mm; text-align: right; font: 7.5pt/2.3 "Noto Sans SC", sans-serif; color: #9a9a9a; }
.text { flex: 1; white-space: pre-wrap; }
ins { color: #0b5d2e; background: #dcf0e2; text-decoration: underline; text-decoration-thickness: 1pt; text-underline-offset: 2pt; }
del { color: #a4262c; background: #fbe3e3; text-decoration: line-through; text-decoration-thickness: 1pt; }
.legend ins, .legend del { padding: 0 1mm; }
</style>
</head>
<body>
<header>
<p class="kind">修订对照 · REDLINE</p>
<h1>${escapeHtml(b.manifest.title)}</h1>
<dl>${side(a, '原版本')}${side(b, '新版本')}<div><dt>信函</dt><dd>${escapeHtml(b.version.date)}<br><code>${escapeHtml(b.version.slug)}</code></dd></div></dl>
<p class="summary">插入 ${inserted} 字 · 删除 ${deleted} 字 · ${changed.length} 行有改动${changed.length ? `：${changed.map((n) => `<a href="#l${n}">第 ${n} 行</a>`).join('、')}` : ''}<span class="legend"> · 图例 <ins>插入</ins> <del>删除</del> ⏎ 换行</span></p>
</header>
<ol>
${rows.join('\n')}
</ol>
</body>
</html>
`;
  return { html, inserted, deleted };
}

/** The bundled fonts, cut to the page's own characters, inlined: the redline prints the same anywhere. */
async function withFonts(html: string): Promise<string> {
  const fonts = await fontFaceCss(`${html}0123456789`);
  return html.replace('/* fonts */', () => fonts);
}
