import type { VFile } from 'vfile';
import { limits } from './limits.ts';

interface Place {
  line: number;
  column: number;
}

const controlNames: Record<number, string> = { 0x08: 'backspace', 0x0b: 'vertical tab', 0x0c: 'form feed', 0x1b: 'escape', 0x7f: 'delete' };
/** After so many, a file is binary or badly damaged: more messages would only bury the first. */
const maxControlReports = 10;

/**
 * Checks the letter's text before it is parsed: characters that are no text
 * (NUL, C0 and C1 controls, DEL) and the limits whose excess would make the
 * parser hang or exhaust the stack (nesting, emphasis runs, inline markers, and
 * table columns, which the parser would silently cut). A cheap line scan, so a
 * hostile letter costs milliseconds. Returns false when it found an error.
 */
export function checkSource(file: VFile): boolean {
  const text = String(file.value);
  const fail = (reason: string, place: Place, ruleId: string): void => {
    const message = file.message(reason, { place, ruleId, source: 'letterpress' });
    message.fatal = true;
  };
  const before = file.messages.filter((m) => m.fatal).length;
  checkCharacters(text, fail);
  checkStructure(text, fail);
  return file.messages.filter((m) => m.fatal).length === before;
}

type Fail = (reason: string, place: Place, ruleId: string) => void;

function checkCharacters(text: string, fail: Fail): void {
  let reports = 0;
  let line = 1;
  let lineStart = 0;
  // Only the rare offending characters are looked at one by one.
  for (const match of text.matchAll(/[\0-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\n/g)) {
    const index = match.index ?? 0;
    if (match[0] === '\n') {
      line += 1;
      lineStart = index + 1;
      continue;
    }
    const place = { line, column: index - lineStart + 1 };
    const code = match[0].charCodeAt(0);
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    if (code === 0) fail(`not valid UTF-8 at ${line}:${place.column} (a NUL character): the file is binary or in another encoding; save it as UTF-8 text`, place, 'not-utf8');
    else fail(`control character ${hex}${controlNames[code] ? ` (${controlNames[code]})` : ''} is not allowed in a letter: delete it`, place, 'control-character');
    reports += 1;
    if (reports === maxControlReports) return;
  }
}

/**
 * A fenced code block the scan may skip: only one the parser is sure to see
 * as one too, so a fake fence cannot hide what follows it. It starts in
 * column 1 after a blank line (never inside a paragraph, list item, quote,
 * link title or table) and outside front matter and HTML blocks.
 */
const fenceOpen = /^(`{3,})[^`]*$|^(~{3,})/;
const fenceClose = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
/** HTML blocks that run past blank lines (CommonMark types 1–5), with what ends each. */
const htmlBlocks: [RegExp, RegExp][] = [
  [/^<(?:script|pre|style|textarea)(?:[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^<!--/, /-->/],
  [/^<\?/, /\?>/],
  [/^<![A-Za-z]/, />/],
  [/^<!\[CDATA\[/, /\]\]>/],
];
const thematicBreak = /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const tableDelimiterRow = /^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

function checkStructure(text: string, fail: Fail): void {
  let fenceMarker: string | undefined;
  let htmlEnd: RegExp | undefined;
  let inFrontMatter = false;
  let previousBlank = true;
  let markers = 0;
  let markersReported = false;
  let nestingReported = false;
  let runReported = false;
  let tableReported = false;
  // Table cells are parsed one by one, so in a table the markers count per row, not per block.
  let inTable = false;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = i + 1;
    const wasBlank = previousBlank;
    previousBlank = raw.trim() === '';
    if (fenceMarker !== undefined) {
      const close = fenceClose.exec(raw)?.[1];
      if (close !== undefined && close[0] === fenceMarker[0] && close.length >= fenceMarker.length) fenceMarker = undefined;
      continue;
    }
    if (line === 1 && raw === '---') inFrontMatter = true;
    else if (inFrontMatter && raw === '---') inFrontMatter = false;
    const { depth, overflowColumn, rest, restColumn } = containers(raw);
    if (htmlEnd?.test(rest)) htmlEnd = undefined;
    else if (htmlEnd === undefined) {
      const block = htmlBlocks.find(([open]) => open.test(rest.trimStart()));
      if (block && !block[1].test(rest)) htmlEnd = block[1];
    }
    const open = !inFrontMatter && htmlEnd === undefined && wasBlank ? fenceOpen.exec(raw) : null;
    if (open) {
      fenceMarker = open[1] ?? open[2];
      continue;
    }
    if (rest.trim() === '') {
      markers = 0;
      inTable = false;
      continue;
    }
    if (inTable) markers = 0;
    if (depth > limits.nestingDepth && !nestingReported) {
      nestingReported = true;
      fail(`block quotes and lists nested more than ${limits.nestingDepth} deep (the limit): flatten the structure`, { line, column: overflowColumn }, 'limit-nesting');
    }
    if (thematicBreak.test(rest.trim())) continue;
    if (rest.includes('|') && tableDelimiterRow.test(rest.trim())) {
      inTable = true;
      const columns = rest.match(/:?-+:?/g)?.length ?? 0;
      if (columns > limits.tableColumns && !tableReported) {
        tableReported = true;
        fail(`table with ${columns} columns, more than the limit of ${limits.tableColumns}: split it into narrower tables`, { line, column: restColumn }, 'limit-table-columns');
      }
    }
    for (const run of rest.matchAll(/\*+|_+|~+|\[/g)) {
      const at = run.index ?? 0;
      const column = restColumn + at;
      if (run[0].length > limits.delimiterRun && !runReported) {
        runReported = true;
        fail(`a run of ${run[0].length} “${run[0][0]}”, more than the limit of ${limits.delimiterRun}: escape them with \\ or shorten the run`, { line, column }, 'limit-emphasis');
      }
      if (neverDelimiter(run[0], rest[at - 1], rest[at + run[0].length])) continue;
      markers += 1;
      if (markers > limits.inlineMarkers && !markersReported) {
        markersReported = true;
        fail(`more than ${limits.inlineMarkers} emphasis, strikethrough and link markers (*, _, ~, [) in one paragraph: split the paragraph or escape the markers with \\`, { line, column }, 'limit-inline-markers');
      }
    }
  }
}

/**
 * A run the parser can never take as an emphasis or strikethrough delimiter
 * (CommonMark §6.2), so it costs nothing: one with space on both sides (`a * b`),
 * or an underscore inside a word (`snake_case`).
 */
function neverDelimiter(run: string, before: string | undefined, after: string | undefined): boolean {
  if (run === '[') return false;
  const space = (c: string | undefined): boolean => c === undefined || /\s/.test(c);
  if (space(before) && space(after)) return true;
  const alnum = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);
  return run[0] === '_' && alnum(before) && alnum(after);
}

/**
 * The container markers (`>` and list markers) that open a line, counted as
 * the parser would nest them, plus list nesting by indentation (at least two
 * spaces a level). `rest` is the line after them, starting at `restColumn`.
 */
function containers(line: string): { depth: number; overflowColumn: number; rest: string; restColumn: number } {
  const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
  let depth = 0;
  let overflowColumn = 0;
  let pos = indent.length;
  const marker = /(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]*/y;
  // Counting stops past the limit, so a line of a million markers costs no more than one of 33.
  while (depth <= limits.nestingDepth) {
    marker.lastIndex = pos;
    const m = marker.exec(line);
    // `- - -` and `* * *` are thematic breaks, not lists.
    if (!m || (m[0][0] !== '>' && thematicBreak.test(line.slice(pos).trim()))) break;
    if (depth === 0) depth = Math.floor(indent.replace(/\t/g, '    ').length / 2);
    depth += 1;
    if (depth > limits.nestingDepth && overflowColumn === 0) overflowColumn = pos + 1;
    pos += m[0].length;
  }
  return { depth, overflowColumn, rest: line.slice(pos), restColumn: pos + 1 };
}
