import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvField, csvText } from '../../src/distribute/csv.ts';

describe('CSV that a spreadsheet cannot run', () => {
  // OWASP's CSV injection list: cells starting with = + - @ tab or carriage return.
  const formulas = ['=HYPERLINK("http://evil.example","click")', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1'];

  it.each(formulas)('%j becomes text: prefixed with \' and quoted', (value) => {
    const field = csvField(value);
    expect(field.startsWith(`"'`)).toBe(true);
    // Read back as CSV, the cell is the value behind one apostrophe: nothing lost, nothing run.
    expect(parse(`${field}\n`)).toEqual([[`'${value}`]]);
  });

  it('leaves other values as they are, quoting only what RFC 4180 asks', () => {
    expect(csvField('张伟')).toBe('张伟');
    expect(csvField('Alice 1+1=2')).toBe('Alice 1+1=2');
    expect(csvField("O'Brien, Seán")).toBe(`"O'Brien, Seán"`);
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('')).toBe('');
  });

  it('writes rows as lines', () => {
    expect(csvText([['id', 'name'], ['lp-1', '=1+1']])).toBe(`id,name\nlp-1,"'=1+1"\n`);
  });
});
