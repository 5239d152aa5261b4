import { fullWidthOf, han, hanPattern, isHan } from './characters.ts';
import type { Rule } from './finding.ts';
import { segmentMatches, type FindingFields } from './segment-matches.ts';

/** Closing marks after which a comma is still "after Han", and opening marks before which it is still "before Han". */
const afterHan = `${han}”’）》」』】`;
const beforeHan = `${han}“‘（《「『【`;

/** `,` `;` `:` `?` `!` between Chinese characters (spaces after it included): a typing slip that prints a Latin mark in Chinese text. */
const pausePattern = new RegExp(`(?<=[${afterHan}])([,;:?!])[ \\t]*(?=[${beforeHan}])`, 'gu');

/** Chinese beside Latin: curly quotes are left out, since English text uses them too (`“It’s`, `trees”?`). */
const hanBeforeLatin = `${han}）》」』】`;
const hanAfterLatin = `${han}（《「『【`;

/** `:` `?` `!` `;` after Chinese at the end of a line (the spaces before the line end stay: two make a hard break). */
const lineEndPattern = new RegExp(`(?<=[${hanBeforeLatin}])([:?!;])(?=[ \\t]*(?:\\n|$))`, 'gu');

const latin = '\\p{Script=Latin}\\d';
/** `,` `;` `:` between Chinese and Latin, either way round (`难,Google`, `Google,也`); not the `;` of an entity such as `&nbsp;`. */
const hanLatinPattern = new RegExp(
  `(?<=[${hanBeforeLatin}])([,;:])[ \\t]*(?=[${latin}])|(?<=[${latin}])(?<!&#?[A-Za-z0-9]+)([,;:])[ \\t]*(?=[${hanAfterLatin}])`,
  'gu',
);

/** Half-width brackets touching Chinese or holding it; the spaces a Latin bracket needs go with them. */
const bracketPattern = /[ \t]*\(([^()\n]*)\)[ \t]*/gu;

export const halfWidthPunctuation: Rule = (blocks) => [
  ...segmentMatches(blocks, pausePattern, (match) => fullWidthFix(match[1] ?? '', 'between Chinese characters')),
  ...blocks.flatMap((block) =>
    // At a segment's end only when it ends the block: a segment followed by a link or emphasis goes on.
    segmentMatches([block], lineEndPattern, (match, segment) => {
      const atEnd = match.index + match[0].length === segment.text.length;
      if (atEnd && !segment.endsLine && segment !== block.segments.at(-1)) return undefined;
      return fullWidthFix(match[1] ?? '', 'after Chinese at the end of a line');
    }),
  ),
  ...segmentMatches(blocks, hanLatinPattern, (match) => fullWidthFix(match[1] ?? match[2] ?? '', 'between Chinese and Latin')),
  ...segmentMatches(blocks, bracketPattern, (match, segment) => {
    const inner = match[1] ?? '';
    const open = match.index + match[0].indexOf('(');
    const close = match.index + match[0].lastIndexOf(')');
    const touchesHan = isHan(previousChar(segment.text, open)) || isHan(segment.text[close + 1]);
    if (!touchesHan && !hanPattern.test(inner)) return undefined;
    // Spaces around go only where the neighbour is Chinese (full-width brackets carry their own space).
    const before = isHan(previousChar(segment.text, match.index)) ? '' : match[0].slice(0, open - match.index);
    const after = isHan(segment.text[match.index + match[0].length]) ? '' : match[0].slice(close - match.index + 1);
    return {
      ruleId: 'half-width-punctuation',
      severity: 'error',
      reason: 'half-width brackets `( )` in Chinese text; use `（ ）`',
      expected: `${before}（${inner}）${after}`,
      safe: true,
    };
  }),
];

function fullWidthFix(mark: string, where: string): FindingFields {
  const fullWidth = fullWidthOf[mark] ?? mark;
  return { ruleId: 'half-width-punctuation', severity: 'error', reason: `half-width \`${mark}\` ${where}; use \`${fullWidth}\``, expected: fullWidth, safe: true };
}

function previousChar(text: string, index: number): string | undefined {
  return index > 0 ? String.fromCodePoint(text.codePointAt(index - 1) ?? 0) : undefined;
}
