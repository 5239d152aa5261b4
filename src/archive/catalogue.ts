import path from 'node:path';
import type { Element } from 'hast';
import { h } from 'hastscript';
import { standalonePage, withBundledFonts } from '../html/standalone-page.ts';
import { catalogueFiles, manifestName, versionFiles, type StoredVersion } from './layout.ts';
import { readArchived, type Manifest } from './manifest.ts';

export interface CatalogueEntry {
  version: StoredVersion;
  manifest: Manifest;
  /** sha256 of manifest.json itself, so the catalogue also records what each manifest said. */
  manifestSha256: string;
}

/**
 * What index.json recorded: each version's manifest (its path in the archive)
 * with the manifest's sha256; undefined when there is no index.json. An
 * index.json that cannot be read as a catalogue records nothing.
 */
export async function recordedManifests(archiveDir: string): Promise<Map<string, string> | undefined> {
  return catalogueListing(path.join(archiveDir, catalogueFiles.json));
}

/** The manifests a catalogue file (index.json, or a run's staged copy of it) lists, with their hashes; undefined when there is no such file. */
export async function catalogueListing(file: string): Promise<Map<string, string> | undefined> {
  const stored = await readArchived(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stored === undefined) return undefined;
  const recorded = new Map<string, string>();
  try {
    const parsed = JSON.parse(stored.toString('utf8')) as { letters?: { versions?: { manifest?: { href?: unknown; sha256?: unknown } }[] }[] };
    for (const v of (parsed.letters ?? []).flatMap((l) => l.versions ?? [])) {
      if (typeof v.manifest?.href === 'string' && typeof v.manifest.sha256 === 'string') recorded.set(v.manifest.href, v.manifest.sha256);
    }
  } catch {
    // Reported by `verify` as a catalogue that does not match the manifests.
  }
  return recorded;
}

/** Letters, newest date first, each with its versions in order; links are relative to the archive. */
function groupLetters(entries: CatalogueEntry[]) {
  const letters = new Map<string, CatalogueEntry[]>();
  for (const entry of entries) {
    const key = `${entry.version.date}/${entry.version.slug}`;
    letters.set(key, [...(letters.get(key) ?? []), entry]);
  }
  return [...letters.values()]
    .map((versions) => versions.sort((a, b) => a.version.version - b.version.version))
    .sort((a, b) => b[0]!.version.date.localeCompare(a[0]!.version.date) || a[0]!.version.slug.localeCompare(b[0]!.version.slug))
    .map((versions) => {
      const { date, slug } = versions[0]!.version;
      return {
        date,
        slug,
        title: versions.at(-1)!.manifest.title,
        versions: versions.map(({ version, manifest, manifestSha256 }) => {
          const names = versionFiles(slug);
          const file = (name: string) => ({ href: `${version.rel}/${name}`, bytes: manifest.files[name]?.bytes ?? 0, sha256: manifest.files[name]?.sha256 ?? '' });
          return {
            version: version.version,
            path: `${version.rel}/`,
            title: manifest.title,
            builtAt: manifest.builtAt,
            pages: manifest.pages,
            paper: manifest.paper,
            profile: manifest.profile,
            files: { pdf: file(names.pdf), html: file(names.html), source: file(names.source) },
            manifest: { href: `${version.rel}/${manifestName}`, sha256: manifestSha256 },
          };
        }),
      };
    });
}

type CatalogueLetter = ReturnType<typeof groupLetters>[number];

/** The catalogue as JSON (for tools) and HTML (for people); a pure function of the manifests, so `verify` can check it. */
export async function renderCatalogue(entries: CatalogueEntry[]): Promise<{ json: string; html: string }> {
  const letters = groupLetters(entries);
  return { json: `${JSON.stringify({ letters }, null, 2)}\n`, html: await renderHtml(letters) };
}

const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
/** An archive time as people read it: `2025-01-31 14:05 UTC` (the manifest keeps the full ISO instant). */
export const minute = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
const paperNames: Record<Manifest['paper'], string> = { a4: 'A4', letter: 'Letter' };

/** The bundled faces, as in the letters: the page reads the same on a machine without Chinese fonts. */
const css = `
:root { --ink: #1a1a1a; --muted: #6b6b6b; --rule: #e4ded3; --accent: #6b1f1f; }
html { color: var(--ink); background: #fbfaf7; font-family: var(--sans); font-size: 15px; line-height: 1.6; }
body { max-width: 68rem; margin: 0 auto; padding: 2.5rem 1.5rem 4rem; }
header { border-bottom: 3px solid var(--accent); padding-bottom: .75rem; margin-bottom: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0; letter-spacing: .04em; }
header p { margin: .25rem 0 0; color: var(--muted); }
.letter { background: #fff; border: 1px solid var(--rule); border-radius: 6px; padding: 1.25rem 1.5rem; margin: 0 0 1.5rem; }
h2 { font-size: 1.2rem; margin: 0; }
.meta { margin: .2rem 0 .9rem; color: var(--muted); font-size: .9rem; }
table { width: 100%; border-collapse: collapse; font-size: .9rem; }
th { text-align: left; font-weight: 700; color: var(--muted); font-size: .8rem; border-bottom: 1px solid var(--rule); padding: .35rem .9rem .35rem 0; white-space: nowrap; }
td { padding: .55rem .9rem .55rem 0; border-bottom: 1px solid #f0ece4; vertical-align: top; }
tr:last-child td { border-bottom: none; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.version { font-weight: 700; white-space: nowrap; }
.sub { display: block; color: var(--muted); font-size: .75rem; }
.badge { display: inline-block; font-size: .7rem; color: #fff; background: var(--accent); border-radius: 3px; padding: 0 .35rem; margin-left: .3rem; vertical-align: .1em; }
code { font-family: var(--mono); }
.hash { display: inline-block; max-width: 33ch; font-size: .75rem; line-height: 1.5; color: var(--muted); word-break: break-all; }
time { white-space: nowrap; }
.links { white-space: nowrap; }
.links a { margin-right: .8rem; color: var(--accent); text-decoration: none; border-bottom: 1px solid var(--rule); }
.links a:hover { border-bottom-color: var(--accent); }
.empty { color: var(--muted); }
`;

function versionRow(v: CatalogueLetter['versions'][number], latest: boolean): Element {
  return h('tr', { className: latest ? ['latest'] : [] }, [
    h('td.version', [`v${v.version}`, ...(latest ? [' ', h('span.badge', '最新')] : [])]),
    h('td', [h('time', { dateTime: v.builtAt }, minute(v.builtAt))]),
    h('td.num', [`${v.pages} 页`, h('span.sub', `${paperNames[v.paper]}${v.profile === 'print' ? ' · 印刷' : ''}`)]),
    h('td.num', kilobytes(v.files.pdf.bytes)),
    h('td', [h('code.hash', { title: 'PDF 的 SHA-256' }, v.files.pdf.sha256)]),
    h('td.links', [
      h('a', { href: v.files.pdf.href }, 'PDF'),
      h('a', { href: v.files.html.href }, 'HTML'),
      h('a', { href: v.files.source.href }, '源文件'),
      h('a', { href: v.manifest.href }, '清单'),
    ]),
  ]);
}

async function renderHtml(letters: CatalogueLetter[]): Promise<string> {
  const versionCount = letters.reduce((n, l) => n + l.versions.length, 0);
  const latest = letters.flatMap((l) => l.versions.map((v) => v.builtAt)).sort().at(-1);
  const sections = letters.map((letter) =>
    h('section.letter', { id: `${letter.date}-${letter.slug}` }, [
      h('h2', letter.title),
      h('p.meta', [h('time', { dateTime: letter.date }, letter.date), ' · ', h('code', letter.slug), ` · ${letter.versions.length} 个版本`]),
      h('table', [
        h('thead', [h('tr', [h('th', '版本'), h('th', '归档时间'), h('th.num', '页数'), h('th.num', '大小'), h('th', 'SHA-256（PDF）'), h('th', '文件')])]),
        h('tbody', [...letter.versions].reverse().map((v, i) => versionRow(v, i === 0))),
      ]),
    ]),
  );
  const tree = standalonePage({
    title: '信函档案 · Letter archive',
    meta: [h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' })],
    css,
    body: [
          h('header', [
            h('h1', '信函档案'),
            h('p', [
              `${letters.length} 封信 · ${versionCount} 个版本${latest ? ` · 最近归档 ${minute(latest)}` : ''} · 每个版本只写一次，`,
              h('code', 'letterpress verify'),
              ' 核对全部文件的 SHA-256',
            ]),
          ]),
          ...(sections.length > 0 ? sections : [h('p.empty', '档案为空。')]),
    ],
  });
  return withBundledFonts(tree);
}
