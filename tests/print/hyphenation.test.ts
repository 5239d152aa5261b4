import { describe, expect, it } from 'vitest';
import { hyphenationPoints } from '../../src/print/hyphenation.ts';

describe('where English words may be hyphenated', () => {
  const points = new Map(hyphenationPoints('The question is interesting: Berkshire’s GAAP figures, 1234567 units, https://example.com/partners and pre-training. annual'));

  it('breaks words by the English patterns, two letters at least before the hyphen and three after', () => {
    expect(points.get('question')).toEqual([4]);
    expect(points.get('interesting')).toEqual([2, 5, 8]);
    expect(points.get('annual')).toEqual([2]);
  });

  it('never breaks names, acronyms, numbers, addresses or a compound’s parts', () => {
    for (const word of ['Berkshire', 'GAAP', '1234567', 'example', 'partners', 'training']) expect(points.has(word), word).toBe(false);
  });
});
