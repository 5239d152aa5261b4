import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/run-cli.ts';

const require = createRequire(import.meta.url);

describe('KaTeX', () => {
  it('lays out with the stylesheet and fonts of the very version that wrote its markup (a mismatch piles fractions onto each other)', () => {
    // rehype-katex writes the markup with the katex it resolves; math-markup.ts inlines the stylesheet and faces of `katex`.
    const fromPlugin = require.resolve('katex/package.json', { paths: [path.join(projectRoot, 'node_modules', 'rehype-katex')] });
    const inlined = require.resolve('katex/package.json');
    expect((require(fromPlugin) as { version: string }).version).toBe((require(inlined) as { version: string }).version);
  });
});
