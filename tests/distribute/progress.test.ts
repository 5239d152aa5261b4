import { describe, expect, it } from 'vitest';
import { progress } from '../../src/distribute/progress.ts';

function recorder(isTTY: boolean): { isTTY: boolean; columns: number; written: string[]; write(text: string): void } {
  return { isTTY, columns: 80, written: [], write(text) { this.written.push(text); } };
}

describe('progress', () => {
  it('off a terminal: one line per tenth of the work, the last one always', () => {
    const stream = recorder(false);
    const bar = progress(stream, 25, 'copies');
    for (let i = 0; i < 25; i++) bar.tick();
    bar.done();
    expect(stream.written).toEqual(['letterpress 3/25 copies\n', 'letterpress 6/25 copies\n', 'letterpress 9/25 copies\n', 'letterpress 12/25 copies\n', 'letterpress 15/25 copies\n', 'letterpress 18/25 copies\n', 'letterpress 21/25 copies\n', 'letterpress 24/25 copies\n', 'letterpress 25/25 copies\n']);
  });

  it('on a terminal: a bar redrawn in place, filled in proportion, within the width, ended by a newline', () => {
    const stream = recorder(true);
    const bar = progress(stream, 4, 'copies');
    bar.tick();
    bar.tick();
    bar.done();
    expect(stream.written.every((t, i) => (i < 3 ? t.startsWith('\r') && !t.includes('\n') && t.length <= 81 : t === '\n'))).toBe(true);
    expect(stream.written[0]).toMatch(/^\rletterpress \[\.+\] 0\/4 copies$/);
    const half = /\[(#*)(\.*)\] 2\/4 copies$/.exec(stream.written[2] ?? '');
    expect(half?.[1]?.length).toBe(half?.[2]?.length);
    expect(stream.written.at(-1)).toBe('\n');
  });
});
