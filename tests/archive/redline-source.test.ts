import { describe, expect, it } from 'vitest';
import { redlineLines } from '../../src/archive/redline-source.ts';

const show = (a: string, b: string): string[] =>
  redlineLines(a, b).lines.map((segments) => segments.map((s) => (s.kind === 'same' ? s.text : `[${s.kind === 'ins' ? '+' : '-'}${s.text}]`)).join(''));

describe('redlineLines', () => {
  it('marks Chinese text character by character and keeps the rest of the line', () => {
    expect(show('复刻比年初预期要难。\n第二行', '复刻比年初预期更难。\n第二行')).toEqual(['复刻比年初预期[-要][+更]难。', '第二行']);
    expect(redlineLines('要难', '更难')).toMatchObject({ inserted: 1, deleted: 1 });
  });

  it('follows the new version’s lines: an inserted break splits, a deleted break joins', () => {
    expect(show('一二三四', '一二\n三四')).toEqual(['一二[+⏎]', '三四']);
    expect(show('一二\n三四', '一二三四')).toEqual(['一二[-⏎]三四']);
  });

  it('counts a character outside the BMP as one', () => {
    expect(redlineLines('甲乙', '甲𠀀乙')).toMatchObject({ inserted: 1, deleted: 0 });
  });
});
