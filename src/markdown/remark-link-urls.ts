import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { quoteHead } from '../load/quote.ts';

/**
 * Links may go to the web (http, https), to mail, or within the letter.
 * A link that would run code (javascript:), open a local file (file:) or a
 * document inlined in the URL (data:), or a host without a scheme (`//host`,
 * resolved against wherever the file is opened), is an error at the link —
 * and the address is left out (the sanitiser backs this up).
 */
export function remarkLinkUrls() {
  return (tree: Root, file: VFile): void => {
    visit(tree, (node, index, parent) => {
      if (node.type !== 'link' && node.type !== 'definition') return;
      // Browsers ignore tabs, newlines and leading controls in a scheme (`java\tscript:`): so does this check.
      const url = node.url.replace(/[\0-\x20]/g, '').toLowerCase();
      const scheme = /^([a-z][a-z0-9+.-]*):/.exec(url)?.[1];
      if (url.startsWith('//') || (scheme !== undefined && !['http', 'https', 'mailto'].includes(scheme))) {
        const message = file.message(`link \`${quoteHead(node.url)}\` is not an http, https or mailto address: letters may only link to the web, to mail or within the letter`, {
          place: node.position,
          ruleId: 'link-url',
          source: 'letterpress',
        });
        message.fatal = true;
        // The refused address is left out: a link keeps its text, a definition goes.
        if (!parent || index === undefined) return;
        parent.children.splice(index, 1, ...(node.type === 'link' ? node.children : []));
        return index;
      }
    });
  };
}
