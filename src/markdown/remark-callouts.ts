import type { Blockquote, Paragraph, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { sliceText } from './split-text.ts';

/** `[!NOTE]`, `[!tip]-` (folded in Obsidian, printed open), `[!info]+ 标题`: the marker that opens a callout. */
const marker = /^\[!([A-Za-z][\w-]*)\]([+-]?)[ \t]*/;

/** The title a callout prints when its author gave none, by type (GitHub's five, Obsidian's usual ones). */
const titles: Record<string, { zh: string; en: string }> = {
  note: { zh: '注', en: 'Note' },
  tip: { zh: '提示', en: 'Tip' },
  hint: { zh: '提示', en: 'Hint' },
  important: { zh: '重要', en: 'Important' },
  warning: { zh: '警告', en: 'Warning' },
  caution: { zh: '注意', en: 'Caution' },
  danger: { zh: '危险', en: 'Danger' },
  info: { zh: '说明', en: 'Info' },
  abstract: { zh: '摘要', en: 'Abstract' },
  summary: { zh: '摘要', en: 'Summary' },
  example: { zh: '示例', en: 'Example' },
  question: { zh: '问题', en: 'Question' },
  quote: { zh: '引文', en: 'Quote' },
  success: { zh: '成功', en: 'Success' },
  failure: { zh: '失败', en: 'Failure' },
  bug: { zh: '缺陷', en: 'Bug' },
  todo: { zh: '待办', en: 'To do' },
};
/** Types printed in the warning colour; the rest in the letter's neutral one. */
const warnings = new Set(['warning', 'caution', 'danger', 'failure', 'bug', 'important']);

/**
 * GitHub alerts and Obsidian callouts (`> [!NOTE] 标题` and the lines quoted
 * after it) become titled boxes (`div.callout` with a `p.callout-title`)
 * instead of quotes opening with “[!NOTE]”. The title is the author's text
 * after the marker, or the type's name in the letter's language.
 */
export function remarkCallouts() {
  return (tree: Root, file: VFile): void => {
    const lang = file.data.frontMatter?.lang === 'en' ? 'en' : 'zh';
    visit(tree, 'blockquote', (node: Blockquote) => {
      const first = node.children[0];
      if (first?.type !== 'paragraph') return;
      const text = first.children[0];
      if (text?.type !== 'text') return;
      const match = marker.exec(text.value);
      if (!match?.[1]) return;
      const type = match[1].toLowerCase();
      // The title is the rest of the marker's line, which may hold other inline nodes (`**风险**提示`); the lines after it are the body.
      const titleChildren: Paragraph['children'] = [];
      const rest: Paragraph['children'] = [];
      const lineEnd = text.value.indexOf('\n');
      if (lineEnd !== -1) {
        titleChildren.push(sliceText(text, match[0].length, lineEnd));
        rest.push(sliceText(text, lineEnd + 1), ...first.children.slice(1));
      } else {
        if (text.value.length > match[0].length) titleChildren.push(sliceText(text, match[0].length));
        const after = first.children.slice(1);
        const breakAt = after.findIndex((child) => child.type === 'text' && child.value.includes('\n'));
        const end = breakAt === -1 ? after.length : breakAt;
        titleChildren.push(...after.slice(0, end));
        const split = after[breakAt];
        if (split?.type === 'text') {
          const at = split.value.indexOf('\n');
          if (at > 0) titleChildren.push(sliceText(split, 0, at));
          rest.push(sliceText(split, at + 1), ...after.slice(breakAt + 1));
        }
      }
      const own = titleChildren.some((child) => child.type !== 'text' || child.value.trim() !== '');
      const fallback = titles[type]?.[lang] ?? type.charAt(0).toUpperCase() + type.slice(1);
      const title: Paragraph = {
        type: 'paragraph',
        children: own ? titleChildren : [{ type: 'text', value: fallback }],
        data: { hProperties: { className: ['callout-title'] } },
      };
      const body = rest.some((child) => child.type !== 'text' || child.value.trim() !== '') ? [{ ...first, children: rest } satisfies Paragraph, ...node.children.slice(1)] : node.children.slice(1);
      node.children = [title, ...body];
      node.data = { ...node.data, hName: 'div', hProperties: { className: ['callout', `callout-${warnings.has(type) ? 'warning' : 'note'}`] } };
    });
  };
}
