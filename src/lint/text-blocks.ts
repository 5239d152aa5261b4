import type { Nodes, Parent, Root } from 'mdast';
import type { TextBlock, TextSegment } from './finding.ts';

/** Blocks whose phrasing is one unit of prose. */
const blockTypes = new Set(['paragraph', 'heading', 'tableCell']);

/**
 * The prose of a Markdown tree as source slices, grouped by block. Only `text`
 * nodes are read: code, inline code, HTML, math and front matter are other node
 * types; a link written as its own URL (an autolink) is skipped too. Slices of
 * the source (not node values) keep every offset exact for messages and fixes.
 */
export function textBlocks(tree: Root, source: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  const visit = (node: Nodes, block: TextBlock | undefined): void => {
    if (blockTypes.has(node.type)) {
      block = { segments: [] };
      blocks.push(block);
    }
    if (node.type === 'text') {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (block && start !== undefined && end !== undefined) block.segments.push({ text: source.slice(start, end), start } satisfies TextSegment);
      return;
    }
    if (node.type === 'break') {
      const last = block?.segments.at(-1);
      if (last) last.endsLine = true;
      return;
    }
    if (node.type === 'link' && isAutolink(node)) return;
    if ('children' in node) for (const child of (node as Parent).children) visit(child as Nodes, block);
  };
  visit(tree, undefined);
  return blocks.filter((b) => b.segments.length > 0);
}

function isAutolink(link: Extract<Nodes, { type: 'link' }>): boolean {
  const [only] = link.children;
  return link.children.length === 1 && only?.type === 'text' && (link.url === only.value || link.url.endsWith(`:${only.value}`) || link.url.endsWith(`//${only.value}`));
}
