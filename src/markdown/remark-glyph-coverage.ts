import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { Coverage } from '../fonts/coverage.ts';

export interface GlyphCoverageOptions {
  /** Code points the bundled fonts can draw. */
  covered: Coverage;
}

/**
 * Fails on any character that no bundled font can draw: left alone, Chromium
 * would take it from a system font (a different PDF on another machine) or draw
 * a blank box. Reported once per character, at its first occurrence.
 */
export function remarkGlyphCoverage(options: GlyphCoverageOptions) {
  const { covered } = options;
  return (tree: Root, file: VFile): void => {
    const reported = new Set<number>();
    visit(tree, (node) => {
      if (!('value' in node) || typeof node.value !== 'string' || node.type === 'html') return;
      for (const char of node.value) {
        const code = char.codePointAt(0) ?? 0;
        if (code < 0x20 || isDefaultIgnorable(code) || covered.has(code) || reported.has(code)) continue;
        reported.add(code);
        const hex = code.toString(16).toUpperCase().padStart(4, '0');
        const message = file.message(`character “${char}” (U+${hex}) is not in the bundled fonts`, {
          place: node.position,
          ruleId: 'missing-glyph',
          source: 'letterpress',
        });
        message.fatal = true;
      }
    });
  };
}

/** Format characters that are never drawn (zero-width spaces and joiners, variation selectors, BOM, soft hyphen). */
function isDefaultIgnorable(code: number): boolean {
  return code === 0xad || (code >= 0x200b && code <= 0x200f) || (code >= 0x2060 && code <= 0x2064) || (code >= 0xfe00 && code <= 0xfe0f) || code === 0xfeff;
}
