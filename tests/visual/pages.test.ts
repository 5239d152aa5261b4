import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { expectMatchesReference, references, renderPages, updateVisual } from '../support/visual.ts';

describe('visual regression of the memo (refresh with `npm run test:visual:update`)', () => {
  const pages = renderPages(path.join(inject('memoOut'), '2023-12-llm-observations.pdf'));

  it('has a reference for every page, and no reference for a page that is gone', () => {
    if (updateVisual) return;
    const expected = readdirSync(references).filter((f) => f.startsWith('memo-page-'));
    expect(expected).toHaveLength(pages.length);
  });

  pages.forEach((file, i) => {
    it(`page ${i + 1} matches its reference`, () => expectMatchesReference(file, `memo-page-${i + 1}.png`));
  });
});
