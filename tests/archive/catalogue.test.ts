import { beforeAll, describe, expect, it } from 'vitest';
import { renderCatalogue, type CatalogueEntry } from '../../src/archive/catalogue.ts';
import type { Manifest } from '../../src/archive/manifest.ts';

const hash = (c: string): string => c.repeat(64);

function entry(date: string, slug: string, version: number, title: string): CatalogueEntry {
  const manifest: Manifest = {
    slug,
    date,
    version,
    previous: version > 1 ? hash(String(version - 1)) : null,
    title,
    sourcePath: `content/${slug}.md`,
    paper: 'a4',
    profile: 'pdf',
    pages: 4,
    toc: [],
    files: {
      [`${slug}.pdf`]: { sha256: hash('a'), bytes: 2048 },
      [`${slug}.html`]: { sha256: hash('b'), bytes: 1024 },
      [`${slug}.md`]: { sha256: hash('c'), bytes: 512 },
    },
    letterpressVersion: '0.1.0',
    chromiumVersion: 'Chrome/156',
    fonts: [],
    sourceDateEpoch: null,
    builtAt: `2024-0${version}-01T10:00:00.000Z`,
  };
  const rel = `${date}/${slug}/v${version}`;
  return { version: { date, slug, version, dir: `/archive/${rel}`, rel }, manifest, manifestSha256: hash(String(version)) };
}

describe('renderCatalogue (a pure function of the manifests)', () => {
  const entries = [entry('2023-12', 'memo', 2, '新标题 <b>'), entry('2024-03', 'q1', 1, 'Q1'), entry('2023-12', 'memo', 1, '旧标题')];
  let json = '';
  let html = '';
  beforeAll(async () => {
    ({ json, html } = await renderCatalogue(entries));
  });
  const letters = () => (JSON.parse(json) as { letters: { date: string; slug: string; title: string; versions: { version: number; manifest: { href: string; sha256: string } }[] }[] }).letters;

  it('groups versions by letter, newest date first, versions in order, titled by the newest', () => {
    expect(letters().map((l) => `${l.date}/${l.slug}`)).toEqual(['2024-03/q1', '2023-12/memo']);
    expect(letters()[1]?.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(letters()[1]?.title).toBe('新标题 <b>');
  });

  it('records each manifest’s own hash, so an edited manifest is caught', () => {
    expect(letters()[1]?.versions[0]?.manifest).toEqual({ href: '2023-12/memo/v1/manifest.json', sha256: hash('1') });
  });

  it('escapes titles in the HTML and marks the newest version', () => {
    expect(html).toContain('<h2>新标题 &#x3C;b></h2>');
    expect(html).not.toContain('<b>');
    expect(html).toMatch(/<tr class="latest"><td class="version">v2 <span class="badge">最新<\/span>/);
  });

  it('is the same for the same manifests in any order', async () => {
    expect(await renderCatalogue([...entries].reverse())).toEqual({ json, html });
  });

  it('carries the bundled faces its Chinese needs, so it reads the same without Chinese system fonts', () => {
    expect(html).toMatch(/@font-face \{[^}]*font-family: "Noto Sans SC"[^}]*src: url\(data:font\/woff2?;base64,/);
    expect(html).toContain('font-family: var(--sans)');
    expect(html).not.toMatch(/PingFang|YaHei|system-ui/);
  });
});
