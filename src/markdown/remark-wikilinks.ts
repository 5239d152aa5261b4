import { slug } from 'github-slugger';
import type { Heading, Image, Link, PhrasingContent, Root, Text } from 'mdast';
import { SKIP, visit } from 'unist-util-visit';
import { imageTypes } from '../load/image-type.ts';
import { sliceText } from './split-text.ts';

/** `[[target]]`, `[[target|alias]]`, `[[target#heading|alias]]`, and `![[image.png]]` / `![[image.png|300]]` (Obsidian's embeds). */
const wikilink = /(!?)\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]*?))?\]\]/g;

/**
 * Obsidian's wikilinks print as what they say: the alias (or the target's
 * name), a link when the target is a heading of this letter, and an
 * embedded image file as the image (read under the rules of every image,
 * beside the letter). A link to another note has nowhere to go in a PDF: its
 * words stay, as text.
 */
export function remarkWikilinks() {
  return (tree: Root): void => {
    const headings = new Map<string, string>();
    visit(tree, 'heading', (node: Heading) => {
      const words: string[] = [];
      visit(node, (child) => {
        if (child.type === 'text' || child.type === 'inlineCode') words.push(child.value);
      });
      const text = words.join('').trim();
      if (!headings.has(text)) headings.set(text, slug(text));
    });
    visit(tree, 'text', (node: Text, index, parent) => {
      if (!parent || index === undefined || !node.value.includes('[[')) return undefined;
      const parts: PhrasingContent[] = [];
      let at = 0;
      for (const match of node.value.matchAll(wikilink)) {
        const [whole, bang, target = '', alias] = match;
        const start = match.index;
        if (start > at) parts.push(sliceText(node, at, start));
        at = start + whole.length;
        const name = target.trim();
        const shown = alias?.trim() ?? '';
        const extension = /\.[a-z0-9]+$/i.exec(name)?.[0]?.toLowerCase() ?? '';
        if (bang && imageTypes[extension]) {
          const image: Image = { type: 'image', url: encodeURI(name), alt: /^\d+(x\d+)?$/.test(shown) ? name : shown || name, position: sliceText(node, start, at).position };
          if (/^\d+$/.test(shown)) image.data = { hProperties: { width: shown } };
          parts.push(image);
          continue;
        }
        // The words shown: the alias, else the target without its folder and extension (`notes/周报.md#结论` → `周报 > 结论`).
        const aliasAt = alias === undefined ? -1 : start + whole.lastIndexOf('|') + 1;
        const label: Text = alias !== undefined && shown ? sliceText(node, aliasAt + alias.indexOf(shown), aliasAt + alias.indexOf(shown) + shown.length) : { type: 'text', value: displayName(name) };
        if (alias === undefined) label.position = sliceText(node, start + 2 + (bang ? 1 : 0), at - 2).position;
        const heading = name.includes('#') ? name.slice(name.indexOf('#') + 1).trim() : name;
        const id = headings.get(heading);
        if (id) parts.push({ type: 'link', url: `#${id}`, children: [label], position: sliceText(node, start, at).position } satisfies Link);
        else parts.push(label);
      }
      if (parts.length === 0) return undefined;
      if (at < node.value.length) parts.push(sliceText(node, at));
      parent.children.splice(index, 1, ...parts);
      return [SKIP, index + parts.length];
    });
  };
}

function displayName(target: string): string {
  const [file = '', heading] = target.split('#', 2);
  const base = file.split('/').pop()?.replace(/\.md$/i, '') ?? file;
  if (!heading) return base;
  return base ? `${base} > ${heading}` : heading;
}
