import type { Image, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { quoteHead } from '../load/quote.ts';

/**
 * An image without alternative text reaches a screen reader as nothing (the
 * PDF's Figure gets no /Alt, which PDF/UA-1 7.3 requires): a warning at the
 * image, so the author can describe it. Not an error: the letter still prints.
 */
export function remarkImageAlt() {
  return (tree: Root, file: VFile): void => {
    visit(tree, 'image', (node: Image) => {
      if ((node.alt ?? '').trim() === '') {
        const url = quoteHead(node.url);
        file.message(`image \`${url}\` has no alternative text: write what it shows in ![…](${url}) for readers who cannot see it`, {
          place: node.position,
          ruleId: 'image-alt',
          source: 'letterpress',
        });
      }
    });
  };
}
