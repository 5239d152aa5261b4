import type { Element, Root } from 'hast';
import { h } from 'hastscript';
import { standalonePage } from '../html/standalone-page.ts';
import { diffChars } from 'diff';
import { cssString } from '../html/css-string.ts';
import { minute } from './catalogue.ts';
import { versionFiles, type StoredVersion } from './layout.ts';
import type { Manifest } from './manifest.ts';

export interface SourceSide {
  version: StoredVersion;
  manifest: Manifest;
  source: string;
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

/** The source view (`diff --source`): B's Markdown line by line, numbered, with what changed since A marked. */
export function sourceRedline(a: SourceSide, b: SourceSide, css: string): { tree: Root; inserted: number; deleted: number } {
  const { lines, inserted, deleted } = redlineLines(a.source, b.source);
  const changed = lines.flatMap((segments, i) => (segments.some((s) => s.kind !== 'same') ? [i + 1] : []));
  const rows = lines.map((segments, i) =>
    h('li', { id: `l${i + 1}`, className: changed.includes(i + 1) ? ['changed'] : [] }, [
      h('span.no', String(i + 1)),
      h(
        'span.text',
        segments.map((s) => (s.kind === 'same' ? { type: 'text' as const, value: s.text } : h(s.kind, s.text))),
      ),
    ]),
  );
  const side = (s: SourceSide, label: string): Element =>
    h('div', [
      h('dt', label),
      h('dd', [
        h('b', `v${s.version.version}`),
        ` · ${s.manifest.pages} 页`,
        h('br'),
        `归档于 ${minute(s.manifest.builtAt)}`,
        h('br'),
        h('code', `源文件 ${s.manifest.files[versionFiles(s.version.slug).source]?.sha256.slice(0, 16) ?? ''}…`),
      ]),
    ]);
  const [from, to] = [a.version.version, b.version.version];
  const pageRules = `@page { size: A4; margin: 20mm 18mm 18mm;
  @top-right { content: ${cssString(`修订对照 v${from} → v${to}`)}; font: 8pt "Noto Sans SC", sans-serif; color: #6b6b6b; }
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font: 8pt "Noto Sans SC", sans-serif; color: #6b6b6b; }
}`;
  const tree = standalonePage({
    title: `修订对照 · ${b.manifest.title} · v${from} → v${to}`,
    meta: [h('meta', { httpEquiv: 'Content-Security-Policy', content: "default-src 'none'; style-src 'unsafe-inline'; font-src data:" })],
    css: `\n${pageRules}\n${css}\n`,
    body: [
          h('header', [
            h('p.kind', '修订对照 · REDLINE'),
            h('h1', b.manifest.title),
            h('dl', [side(a, '原版本'), side(b, '新版本'), h('div', [h('dt', '信函'), h('dd', [b.version.date, h('br'), h('code', b.version.slug)])])]),
            h('p.summary', [
              `插入 ${inserted} 字 · 删除 ${deleted} 字 · ${changed.length} 行有改动`,
              ...(changed.length ? ['：', ...changed.flatMap((n, i) => [...(i > 0 ? ['、'] : []), h('a', { href: `#l${n}` }, `第 ${n} 行`)])] : []),
              h('span.legend', [' · 图例 ', h('ins', '插入'), ' ', h('del', '删除'), ' ⏎ 换行']),
            ]),
          ]),
          h('ol', rows),
    ],
  });
  return { tree, inserted, deleted };
}
