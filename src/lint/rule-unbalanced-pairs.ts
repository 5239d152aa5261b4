import type { Finding, Rule, TextBlock, TextSegment } from './finding.ts';

const closerOf: Readonly<Record<string, string>> = { '（': '）', '(': ')', '《': '》', '「': '」', '『': '』', '【': '】', '“': '”', '‘': '’' };
const openerOf: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(closerOf).map(([o, c]) => [c, o]));

interface Mark {
  char: string;
  offset: number;
}

/**
 * Brackets and quotation marks must close within their paragraph (or heading,
 * or table cell). A `’` with no `‘` open is an apostrophe (`OpenAI’s`), not a slip;
 * straight `"` pair up in order, so an odd one is reported; marks quoted as
 * themselves (`行首不出现“）》”`) are mentioned, not used.
 */
export const unbalancedPairs: Rule = (blocks) => blocks.flatMap(unbalancedIn);

function unbalancedIn(block: TextBlock): Finding[] {
  const open: Mark[] = [];
  const stray: Mark[] = [];
  let straight: Mark | undefined;
  for (const mark of withoutQuotedMarks(block.segments.flatMap(marksOf))) {
    const { char } = mark;
    if (char === '"') straight = straight ? undefined : mark;
    else if (closerOf[char]) open.push(mark);
    else if (openerOf[char]) {
      const depth = open.findLastIndex((m) => closerOf[m.char] === char);
      if (depth >= 0) stray.push(...open.splice(depth).slice(1));
      else if (char !== '’') stray.push(mark);
    }
  }
  return [...stray, ...open, ...(straight ? [straight] : [])]
    .sort((a, b) => a.offset - b.offset)
    .map((mark) => {
      const partner = closerOf[mark.char] ?? openerOf[mark.char] ?? '"';
      const opening = Boolean(closerOf[mark.char]) || mark.char === '"';
      return {
        ruleId: 'unbalanced-pair',
        severity: 'error',
        reason: opening ? `\`${mark.char}\` is never closed in this paragraph` : `\`${mark.char}\` closes nothing in this paragraph`,
        start: mark.offset,
        end: mark.offset + mark.char.length,
        actual: mark.char,
        safe: false,
        note: opening ? `add the matching \`${partner}\`` : `remove it or add the matching \`${partner}\` before it`,
      } satisfies Finding;
    });
}

/**
 * The punctuation of a segment, one mark each, and each run of other text as
 * one mark with no character (only its being there matters): a long
 * paragraph costs one object per punctuation mark, not one per character.
 */
function marksOf(segment: TextSegment): Mark[] {
  return [...segment.text.matchAll(/\p{P}|\P{P}+/gu)].map((m) => ({ char: /^\p{P}$/u.test(m[0]) ? m[0] : '', offset: segment.start + (m.index ?? 0) }));
}

/** Drops each `“…”` that holds nothing but punctuation: a list of marks being talked about. */
function withoutQuotedMarks(marks: Mark[]): Mark[] {
  const kept: Mark[] = [];
  for (let i = 0; i < marks.length; i++) {
    const mark = marks[i] as Mark;
    // From a `“`, over punctuation other than `“` to the first `”` after at least one mark; text ends the look (so it is linear).
    let j = i + 1;
    const inside = (m: Mark | undefined): boolean => m !== undefined && m.char !== '' && m.char !== '“' && !(m.char === '”' && j > i + 1);
    if (mark.char === '“') while (inside(marks[j])) j++;
    if (mark.char === '“' && j > i + 1 && marks[j]?.char === '”') i = j;
    else if (mark.char !== '') kept.push(mark);
  }
  return kept;
}
