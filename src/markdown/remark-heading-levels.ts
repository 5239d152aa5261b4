import type { Heading, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/**
 * Headings become the PDF's H1–H6 tags by rank, and a reader navigating by
 * headings loses its way where a level is skipped (PDF/UA-1 7.4.2): a warning
 * at a heading more than one level below the one before it. The letter's
 * title is the level-1 heading the body starts under.
 */
export function remarkHeadingLevels() {
  return (tree: Root, file: VFile): void => {
    let previous = 1;
    visit(tree, 'heading', (node: Heading) => {
      if (node.depth > previous + 1) {
        file.message(`heading level ${node.depth} follows level ${previous}: use ${'#'.repeat(previous + 1)} so no level is skipped`, {
          place: node.position,
          ruleId: 'heading-level',
          source: 'letterpress',
        });
      }
      previous = node.depth;
    });
  };
}
