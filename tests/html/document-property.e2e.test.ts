import fc from 'fast-check';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { renderDocument, serializeHtml } from '../../src/html/render-document.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';
import { body, frontMatter, unsafeIn } from '../support/hostile-letters.ts';

// The whole HTML stage, fonts cut for every generated letter: in the end-to-end lane, though it starts no browser (cold font caches make it 20–40 s).
describe('the pipeline up to HTML, on generated letters', () => {
  it('never throws, never emits executable markup, and never points src at anything but an inline image', async () => {
    let rendered = 0;
    await fc.assert(
      fc.asyncProperty(frontMatter, body, async (head, text) => {
        const file = new VFile({ path: 'content/letter.md', cwd: '/nonexistent-letterpress-project', value: head + text });
        const body = await processMarkdown(file);
        expect(unsafeIn(serializeHtml(body))).toEqual([]);
        const meta = file.data.frontMatter;
        // Rendered even when the body has errors (a character outside the fonts, say), so the document is tried often.
        if (!meta) return;
        rendered += 1;
        const html = await renderDocument({ source: String(file.value), body, meta, headings: file.data.headings ?? [], page: { paper: 'a4', profile: 'pdf' } });
        expect(unsafeIn(html)).toEqual([]);
        // Attribute values are text: only `</style>` outside them closes an element.
        const markup = html.replace(/<[a-zA-Z](?:[^>"']|"[^"]*"|'[^']*')*>/g, (tag) => tag.replace(/"[^"]*"|'[^']*'/g, '""'));
        expect(markup.match(/<\/style>/g)).toHaveLength(2);
      }),
      { numRuns: 150, seed: 20261129 },
    );
    // The property must have reached the whole document often, not only the Markdown stage.
    expect(rendered).toBeGreaterThan(40);
  }, 600_000);
});
