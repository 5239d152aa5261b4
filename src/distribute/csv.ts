/** A cell that a spreadsheet would run as a formula (OWASP's list: = + - @ tab, carriage return). */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * One CSV field, RFC 4180 quoted when needed. A cell that would start a
 * formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`, `-2+3`) when the file is
 * opened in a spreadsheet is prefixed with `'` and quoted, as OWASP's
 * CSV-injection rule asks, so it shows as text.
 */
export function csvField(value: string): string {
  const text = formulaStart.test(value) ? `'${value}` : value;
  return formulaStart.test(value) || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows of fields as CSV text, one line per row. */
export function csvText(rows: string[][]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}
