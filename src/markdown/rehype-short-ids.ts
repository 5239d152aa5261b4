import { createHash } from 'node:crypto';
import type { Root } from 'hast';
import { visit } from 'unist-util-visit';

/** PDF names (Chromium's named destinations are the ids links point to) may be at most 127 bytes (ISO 32000-1, annex C). */
export const maxIdBytes = 127;
/** Bytes of an id kept before its hash; the hash and a `-n` for a repeat still fit in `maxIdBytes`. */
const keptBytes = 100;

/** `id` cut to `keptBytes` bytes (whole characters) and given 8 hex digits of its hash, so two long ids that begin alike stay apart. */
export function shortId(id: string): string {
  const encoder = new TextEncoder();
  let kept = '';
  for (const c of id) {
    if (encoder.encode(kept + c).length > keptBytes) break;
    kept += c;
  }
  return `${kept}-${createHash('sha256').update(id).digest('hex').slice(0, 8)}`;
}

/**
 * Every id longer than a PDF name may be (a long heading's slug, a long
 * footnote label) is shortened, and the links to it follow.
 */
export function rehypeShortIds() {
  return (tree: Root): void => {
    const renamed = new Map<string, string>();
    visit(tree, 'element', (node) => {
      const id = node.properties.id;
      if (typeof id !== 'string' || new TextEncoder().encode(id).length <= maxIdBytes) return;
      const short = shortId(id);
      renamed.set(id, short);
      node.properties.id = short;
    });
    if (renamed.size === 0) return;
    visit(tree, 'element', (node) => {
      const href = node.properties.href;
      if (typeof href !== 'string' || !href.startsWith('#')) return;
      let target = href.slice(1);
      try {
        target = decodeURIComponent(target);
      } catch {
        return;
      }
      const short = renamed.get(target);
      if (short) node.properties.href = `#${short}`;
    });
  };
}
