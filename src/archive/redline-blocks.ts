import { diffArrays, diffChars } from 'diff';
import type { Element, ElementContent, Root, Text } from 'hast';
import { h } from 'hastscript';
import { toString } from 'hast-util-to-string';

/** What changed between two letter bodies, marked in the newer one. */
export interface MarkedBody {
  body: Root;
  /** Characters inserted and deleted (code points, whitespace left out). */
  inserted: number;
  deleted: number;
  /** The parts (h2 headings, as the newer version words them) with a change, in order; `''` for the text before the first heading. */
  sections: string[];
}

/** Elements whose children are blocks: aligned child by child. Any other element holds running text and is marked character by character. */
const containers = new Set(['ol', 'ul', 'li', 'table', 'thead', 'tbody', 'tr', 'blockquote', 'section', 'div']);
const blocks = new Set([...containers, 'p', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'th', 'td', 'hr', 'img']);

/**
 * Every inserted or deleted run is cut into pieces this many characters long:
 * each piece draws the bar in the margin beside its line, and no piece is
 * longer than a line, so every line that holds part of a change has a bar.
 */
const piece = 8;

const elements = (nodes: readonly (ElementContent | Root['children'][number])[]): Element[] => nodes.filter((n): n is Element => n.type === 'element');

/** What a block says: its text, and the images it shows (an image changes no text). */
function content(node: Element): string {
  const images: string[] = [];
  const walk = (n: ElementContent): void => {
    if (n.type !== 'element') return;
    if (n.tagName === 'img') images.push(String(n.properties.src ?? ''));
    n.children.forEach(walk);
  };
  walk(node);
  return `${node.tagName}\0${toString(node)}\0${images.join('\0')}`;
}

function isContainer(node: Element): boolean {
  return containers.has(node.tagName) && node.children.some((c) => c.type === 'element' && blocks.has(c.tagName));
}

/** KaTeX's markup is one unit: its text is not marked inside. */
const isFormula = (node: Element): boolean => {
  const classes = node.properties.className;
  return Array.isArray(classes) && classes.some((c) => c === 'katex' || c === 'katex-display');
};

const letters = (text: string): number => [...text.replace(/\s/g, '')].length;

class Marker {
  inserted = 0;
  deleted = 0;

  /** The blocks of the newer version, with those of the older one it lost in their place. */
  align(older: Element[], newer: Element[]): Element[] {
    const out: Element[] = [];
    const changes = diffArrays(older, newer, { comparator: (a, b) => content(a) === content(b) });
    for (let i = 0; i < changes.length; i++) {
      const change = changes[i]!;
      if (!change.added && !change.removed) {
        out.push(...change.value);
        continue;
      }
      // A run of removed blocks next to a run of added ones: the same kinds of block, pairwise, are one block changed.
      const next = changes[i + 1];
      const removed = change.removed ? change.value : [];
      const added = change.added ? change.value : [];
      if (next && change.removed && next.added) {
        added.push(...next.value);
        i++;
      }
      const pairs = Math.min(removed.length, added.length);
      for (let k = 0; k < pairs; k++) {
        const [a, b] = [removed[k]!, added[k]!];
        if (a.tagName === b.tagName) out.push(this.changed(a, b));
        else out.push(this.whole(a, 'del'), this.whole(b, 'ins'));
      }
      out.push(...removed.slice(pairs).map((a) => this.whole(a, 'del')), ...added.slice(pairs).map((b) => this.whole(b, 'ins')));
    }
    return out;
  }

  /** One block in both versions, with different content. */
  private changed(a: Element, b: Element): Element {
    if (isContainer(a) && isContainer(b)) {
      const children = this.align(elements(a.children), elements(b.children));
      return { ...b, children: withNumbers(b, children) };
    }
    const older = markableText(a);
    const newer = markableText(b);
    // Only a formula or an image changed: the old block struck, the new one inserted.
    if (older === newer) return h('div.rl-pair', [this.whole(a, 'del'), this.whole(b, 'ins')]);
    return this.marked(b, older);
  }

  /** A block only one version has: all its text inserted or deleted. A deleted block keeps no ids (the newer version's may be the same). */
  private whole(node: Element, kind: 'ins' | 'del'): Element {
    const copy = structuredClone(node);
    const mark = (el: Element): void => {
      if (kind === 'del') delete el.properties.id;
      if (isFormula(el)) return;
      el.children = el.children.flatMap((child): ElementContent[] => {
        if (child.type === 'element') {
          mark(child);
          return [child];
        }
        if (child.type !== 'text' || child.value.trim() === '') return [child];
        this.count(kind, child.value);
        return pieces(kind, child.value);
      });
    };
    mark(copy);
    addClass(copy, kind === 'ins' ? 'rl-added' : 'rl-removed');
    return copy;
  }

  /** The newer block with its text marked against the older block's: insertions and deletions where they fall, inside its own inline markup. */
  private marked(b: Element, older: string): Element {
    const copy = structuredClone(b);
    const runs = textRuns(copy);
    const newer = runs.map((r) => r.node.value).join('');
    const inserts: [number, number][] = [];
    const deletes: { at: number; text: string }[] = [];
    let at = 0;
    for (const change of diffChars(older, newer)) {
      if (change.removed) {
        deletes.push({ at, text: change.value });
        this.count('del', change.value);
      } else if (change.added) {
        inserts.push([at, at + change.value.length]);
        this.count('ins', change.value);
        at += change.value.length;
      } else at += change.value.length;
    }
    let start = 0;
    runs.forEach((run, index) => {
      const end = start + run.node.value.length;
      const last = index === runs.length - 1;
      const cuts = new Set([start, end]);
      for (const [x, y] of inserts) for (const p of [x, y]) if (p > start && p < end) cuts.add(p);
      for (const d of deletes) if (d.at > start && d.at < end) cuts.add(d.at);
      const points = [...cuts].sort((x, y) => x - y);
      const replacement: ElementContent[] = [];
      const deletionsAt = (p: number): void => {
        for (const d of deletes) if (d.at === p) replacement.push(...pieces('del', d.text));
      };
      for (let k = 0; k < points.length - 1; k++) {
        const [x, y] = [points[k]!, points[k + 1]!];
        deletionsAt(x);
        const text = run.node.value.slice(x - start, y - start);
        const inserted = inserts.some(([p, q]) => x >= p && y <= q);
        replacement.push(...(inserted ? pieces('ins', text) : [{ type: 'text', value: text } satisfies Text]));
      }
      if (last) deletionsAt(end);
      run.parent.children.splice(run.parent.children.indexOf(run.node), 1, ...replacement);
      start = end;
    });
    // A block whose text is all gone (a cell emptied) still shows what it held.
    if (runs.length === 0) for (const d of deletes) copy.children.push(...pieces('del', d.text));
    return copy;
  }

  private count(kind: 'ins' | 'del', text: string): void {
    if (kind === 'ins') this.inserted += letters(text);
    else this.deleted += letters(text);
  }
}

/** The text nodes of a block outside its formulas, in reading order, with the element each sits in. */
function textRuns(node: Element): { node: Text; parent: Element }[] {
  const runs: { node: Text; parent: Element }[] = [];
  const walk = (el: Element): void => {
    if (isFormula(el)) return;
    for (const child of el.children) {
      if (child.type === 'text') runs.push({ node: child, parent: el });
      else if (child.type === 'element') walk(child);
    }
  };
  walk(node);
  return runs;
}

function markableText(node: Element): string {
  return textRuns(node)
    .map((r) => r.node.value)
    .join('');
}

/** `<ins>` or `<del>` runs of at most `piece` characters (see piece). */
function pieces(kind: 'ins' | 'del', text: string): Element[] {
  const chars = [...text];
  const out: Element[] = [];
  for (let i = 0; i < chars.length; i += piece) out.push(h(`${kind}.rl-${kind}`, chars.slice(i, i + piece).join('')));
  return out;
}

function addClass(node: Element, name: string): void {
  const current = node.properties.className;
  node.properties.className = [...(Array.isArray(current) ? current.map(String) : []), name];
}

/**
 * A numbered list's items keep the newer version's numbers: a deleted item
 * does not count, and shows the number it had (`data-number`, which the
 * redline's stylesheet prints as its marker).
 */
function withNumbers(list: Element, children: Element[]): Element[] {
  if (list.tagName !== 'ol') return children;
  const start = Number(list.properties.start ?? 1);
  let n = start - 1;
  return children.map((item) => {
    const classes = item.properties.className;
    const removed = Array.isArray(classes) && classes.includes('rl-removed');
    if (!removed) n++;
    return removed ? { ...item, properties: { ...item.properties, dataNumber: String(n + 1) } } : item;
  });
}

/** Whether a block holds a mark. */
function hasMark(node: Element): boolean {
  const classes = node.properties.className;
  if (Array.isArray(classes) && classes.some((c) => String(c).startsWith('rl-'))) return true;
  if (node.tagName === 'ins' || node.tagName === 'del') return true;
  return elements(node.children).some(hasMark);
}

/**
 * The newer body with what changed since the older one marked, aligned by
 * block: a deleted list item is a struck item in its list, a changed table
 * cell is marked in its cell, a changed paragraph has its inserted and
 * deleted characters marked where they fall.
 */
export function markChanges(older: Root, newer: Root): MarkedBody {
  const marker = new Marker();
  const top = marker.align(elements(older.children), elements(newer.children));
  const sections: string[] = [];
  let section = '';
  for (const block of top) {
    if (block.tagName === 'h2') section = toString(block);
    if (hasMark(block) && !sections.includes(section)) sections.push(section);
  }
  return { body: { type: 'root', children: top }, inserted: marker.inserted, deleted: marker.deleted, sections };
}
