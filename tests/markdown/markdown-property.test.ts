import fc from 'fast-check';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { serializeHtml } from '../../src/html/render-document.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';
import { body, frontMatter, unsafeIn } from '../support/hostile-letters.ts';

// The whole document (head, page CSS, fonts) is checked on the same letters in tests/html/document-property.e2e.test.ts.
describe('the Markdown stage, on generated letters', () => {
  it('never throws and never emits executable markup or a src that is not an inline image', async () => {
    await fc.assert(
      fc.asyncProperty(frontMatter, body, async (head, text) => {
        const file = new VFile({ path: 'content/letter.md', cwd: '/nonexistent-letterpress-project', value: head + text });
        expect(unsafeIn(serializeHtml(await processMarkdown(file)))).toEqual([]);
      }),
      { numRuns: 150, seed: 20261129 },
    );
  });
});
