import type { Heading, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

const comparable = (text: string): string => text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

function headingText(node: Heading): string {
  const words: string[] = [];
  visit(node, (child) => {
    if (child.type === 'text' || child.type === 'inlineCode') words.push(child.value);
  });
  return words.join('');
}

/**
 * A body that opens with a heading repeating the letter's title (as editors
 * export a document: `# 标题` first) keeps it where it stands, but it is not
 * one of the letter's parts: the levels are counted from the headings after
 * it (remark-heading-levels), and the TOC and bookmarks, which print the
 * title already, leave it out (`file.data.titleHeading`). A note says so.
 */
export function remarkTitleHeading() {
  return (tree: Root, file: VFile): void => {
    const title = file.data.frontMatter?.title;
    if (!title) return;
    let first: Heading | undefined;
    visit(tree, 'heading', (node) => {
      first = node;
      return false;
    });
    if (!first?.position || comparable(headingText(first)) !== comparable(title)) return;
    file.data.titleHeading = { line: first.position.start.line, column: first.position.start.column };
    file.info('this heading repeats the letter’s title: it is printed where it stands, and not listed in the TOC again', {
      place: first.position,
      ruleId: 'title-heading',
      source: 'letterpress',
    });
  };
}
