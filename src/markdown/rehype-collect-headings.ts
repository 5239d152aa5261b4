import type { Root } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { HeadingEntry } from './vfile-data.ts';

/** Records every heading that has an id (rehype-heading-ids runs first) in `file.data.headings`, for the TOC and the outline. */
export function rehypeCollectHeadings() {
  return (tree: Root, file: VFile): void => {
    const headings: HeadingEntry[] = [];
    const title = file.data.titleHeading;
    visit(tree, 'element', (node) => {
      const depth = headingRank(node);
      const id = node.properties.id;
      if (depth === undefined || typeof id !== 'string') return;
      const start = node.position?.start;
      const repeatsTitle = title !== undefined && start?.line === title.line && start.column === title.column;
      headings.push({ depth, id, text: toString(node).trim(), ...(repeatsTitle && { repeatsTitle }) });
    });
    file.data.headings = headings;
  };
}
