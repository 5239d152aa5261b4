import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { UsageError } from '../common/errors.ts';
import { stampCoverage } from './stamp-font.ts';
import { lookAlikeKeys, mixedScripts } from './confusable-names.ts';
import { RecipientListError } from './recipient-list-error.ts';

/** Ids become file names, so they are restricted to characters that are safe on every file system. */
const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Control and format characters (Cc, Cf: bidi overrides, zero-width joiners) would hide or reorder what the LP sees. */
const invisible = /[\p{Cc}\p{Cf}]/u;

/** Text as composed characters (NFC): a name saved decomposed, as macOS does (`e` + U+0301), is stamped as the letter `é`. */
const composed = (schema: z.ZodString) => z.preprocess((value) => (typeof value === 'string' ? value.normalize('NFC') : value), schema);

/** Lines of an address block: the window of a DL envelope holds six lines, the name and five more. */
export const addressLines = 5;

export const recipientSchema = z.object({
  id: z.string().regex(idPattern, 'id must be 1–64 letters, digits, `.`, `_` or `-`, starting with a letter or digit'),
  name: composed(
    z
    .string()
    .min(1, 'name is missing')
    // Spaces alone (ASCII, no-break or full-width 　) would stamp a blank name on the copy.
    .refine((name) => name.trim() !== '', 'name is only spaces')
    // It is printed in a footer next to the page number: longer names would not fit.
    .max(40, 'name is longer than 40 characters')
    .refine((name) => !invisible.test(name), 'name contains a control or invisible formatting character')
    .refine((name) => !/[/\\]/.test(name), 'name contains `/` or `\\`'),
  ),
  /** The postal address below the name, one line per line of the quoted field (`--mailing`). */
  address: z
    .union([
      z.literal('').transform(() => undefined),
      composed(
        z
          .string()
          .refine((address) => !invisible.test(address.replace(/\r?\n/g, '')), 'address contains a control or invisible formatting character'),
      ).transform((address) => address.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '')),
    ])
    .optional()
    .refine((lines) => lines === undefined || lines.length <= addressLines, `address has more than ${addressLines} lines (the envelope's window holds the name and ${addressLines} more)`)
    .refine((lines) => lines === undefined || lines.every((line) => line.length <= 60), 'address has a line longer than 60 characters'),
  email: z
    .union([z.literal('').transform(() => undefined), z.email('email is not an e-mail address')])
    .optional(),
});

export type Recipient = z.infer<typeof recipientSchema> & {
  /** Line in the CSV file, for messages. */
  line: number;
};

const knownColumns = ['id', 'name', 'email', 'address'] as const;

/** A CSV record and the line it starts on (a quoted field may hold line breaks). */
interface Row {
  line: number;
  record: string[];
}

/**
 * Reads a UTF-8 CSV (header `id,name[,email][,address]`, BOM allowed). Every problem is
 * reported with the line it is on; the list is used only when all rows are good.
 * `file` is shown as given, and read relative to `cwd`.
 */
export async function readRecipients(file: string, cwd: string): Promise<Recipient[]> {
  const bytes = await readFile(path.resolve(cwd, file)).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' ? new UsageError(`--recipients ${file}: no such file`) : error;
  });
  const text = decodeUtf8(file, bytes);
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new RecipientListError(file, 1, 'the file is empty; expected a header `id,name` and one row per recipient');

  let lastRecordEnd = 0;
  const lines = lineStarts(text);
  let rows: Row[];
  try {
    // With `info`, each row is { info, record }; csv-parse's types do not model that for array rows.
    const parsed = parse(text, {
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      on_record: (record, { bytes }) => {
        lastRecordEnd = bytes;
        return record;
      },
    }) as unknown as { info: { bytes: number }; record: string[] }[];
    rows = parsed.map((row, i) => ({ line: lines(parsed[i - 1]?.info.bytes ?? 0), record: row.record }));
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // csv-parse reports an unclosed quote at the end of the file; the user needs the line where it opened.
    const line = error.code === 'CSV_QUOTE_NOT_CLOSED' ? lines(lastRecordEnd) : (error as CsvError & { lines: number }).lines;
    const reason = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field starts here and is never closed' : error.message.replace(/ (at|on) line \d+.*$/, '');
    throw new RecipientListError(file, line, `malformed CSV: ${reason}`);
  }

  const [header, ...body] = rows;
  if (!header) throw new RecipientListError(file, 1, 'the file is empty');
  const columns = header.record.map((c) => c.toLowerCase());
  const unknown = columns.filter((c) => !(knownColumns as readonly string[]).includes(c));
  if (unknown.length > 0 || !columns.includes('id') || !columns.includes('name') || new Set(columns).size !== columns.length) {
    throw new RecipientListError(file, header.line, `the header must name the columns id,name (and optionally email, address), not \`${header.record.join(',')}\``);
  }
  if (body.length === 0) throw new RecipientListError(file, header.line + 1, 'no recipients: the file has a header but no rows');

  const recipients: Recipient[] = [];
  const seen = new Map<string, number>();
  const looks = new Map<string, Recipient>();
  const coverage = await stampCoverage();
  for (const { line, record } of body) {
    const row = Object.fromEntries(columns.map((c, i) => [c, record[i] ?? '']));
    const parsed = recipientSchema.safeParse(row);
    if (!parsed.success) throw new RecipientListError(file, line, parsed.error.issues.map((i) => i.message).join('; '));
    const recipient: Recipient = { ...parsed.data, line };
    if (recipient.address === undefined) delete recipient.address;
    // Case-insensitive: `LP-1.pdf` and `lp-1.pdf` are the same file on macOS and Windows.
    const key = recipient.id.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) throw new RecipientListError(file, line, `duplicate id \`${recipient.id}\` (first at line ${first})`);
    seen.set(key, line);
    const drawn = [recipient.name, ...(recipient.address ?? [])].join('');
    const missing = [...new Set(drawn)].filter((c) => !coverage.has(c.codePointAt(0) ?? 0));
    if (missing.length > 0) throw new RecipientListError(file, line, `${recipient.name.includes(missing[0]!) ? 'name' : 'address'} contains ${missing.map((c) => `“${c}”`).join(', ')}, which the bundled fonts cannot draw`);
    const mixed = mixedScripts(recipient.name);
    if (mixed) throw new RecipientListError(file, line, mixed);
    // A leaked printout is traced by its name: two names a reader cannot tell apart would make two copies alike.
    const keys = lookAlikeKeys(recipient.name);
    const twin = keys.map((k) => looks.get(k)).find((r) => r !== undefined);
    if (twin) {
      const same = twin.name.normalize('NFKC').toLowerCase() === recipient.name.normalize('NFKC').toLowerCase();
      throw new RecipientListError(file, line, same ? `duplicate name \`${recipient.name}\` (also at line ${twin.line}): give each recipient a name of its own` : `name \`${recipient.name}\` looks like \`${twin.name}\` at line ${twin.line}: a printout could not tell the two apart`);
    }
    for (const k of keys) looks.set(k, recipient);
    recipients.push(recipient);
  }
  return recipients;
}

/**
 * The line of a record that starts after `offset` (a byte offset of the UTF-8
 * file, as csv-parse counts them: the end of the record before). csv-parse
 * counts the lines a record ends on, and a quoted CRLF twice; the user needs
 * the line the record starts on, past the blank lines skipped before it.
 */
function lineStarts(text: string): (offset: number) => number {
  const bytes = Buffer.from(text);
  // Where each line break ends (`\r\n` is one), found once: a list of 10,000 recipients asks 10,000 times.
  const ends = [...bytes.toString('latin1').matchAll(/\r\n|\n|\r/g)].map((m) => m.index + m[0].length);
  return (offset) => {
    let start = offset;
    while (bytes[start] === 0x0a || bytes[start] === 0x0d) start++;
    // The breaks that end at or before `start`, by binary search.
    let [low, high] = [0, ends.length];
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (ends[mid]! <= start) low = mid + 1;
      else high = mid;
    }
    return 1 + low;
  };
}

/** The file as UTF-8; a file in another encoding (GBK, Latin-1) fails naming its first line that is not UTF-8. */
function decodeUtf8(file: string, bytes: Buffer): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    // 0x0A never occurs inside a multi-byte sequence of UTF-8 or GBK, so lines can be checked one by one.
    for (let end = bytes.indexOf(0x0a); ; end = bytes.indexOf(0x0a, start)) {
      const slice = bytes.subarray(start, end === -1 ? bytes.length : end);
      try {
        decoder.decode(slice);
      } catch {
        break;
      }
      if (end === -1) break;
      start = end + 1;
      line++;
    }
    throw new RecipientListError(file, line, 'the file is not UTF-8 (saved as GBK?); save it as UTF-8 and try again');
  }
}
