import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { run as zhlint } from 'zhlint';
import { lintLetter } from '../../src/markdown/lint-letter.ts';

/** The messages of a one-letter lint, as `line:column-line:column ruleId severity actual→expected`. */
function lint(markdown: string): string[] {
  const file = new VFile({ path: 'letter.md', value: markdown });
  lintLetter(file);
  return file.messages.map((m) => {
    const place = m.place && 'start' in m.place ? `${m.place.start.line}:${m.place.start.column}-${m.place.end.line}:${m.place.end.column}` : `${m.line}:${m.column}`;
    return `${place} ${m.ruleId} ${m.fatal ? 'error' : 'warning'} ${JSON.stringify(m.actual)}→${JSON.stringify(m.expected?.[0] ?? null)}`;
  });
}

describe('half-width-punctuation', () => {
  it('is an error between Chinese characters, with the full-width mark as the fix', () => {
    expect(lint('模型很强,但成本高;明年:再看?对!好')).toEqual([
      '1:5-1:6 half-width-punctuation error ","→"，"',
      '1:10-1:11 half-width-punctuation error ";"→"；"',
      '1:13-1:14 half-width-punctuation error ":"→"："',
      '1:16-1:17 half-width-punctuation error "?"→"？"',
      '1:18-1:19 half-width-punctuation error "!"→"！"',
    ]);
  });
  it('takes the space typed after the mark with it', () => {
    expect(lint('模型很强, 但成本高')).toEqual(['1:5-1:7 half-width-punctuation error ", "→"，"']);
  });
  it('turns brackets touching or holding Chinese into full-width ones', () => {
    expect(lint('模型(大模型)很强')).toEqual(['1:3-1:8 half-width-punctuation error "(大模型)"→"（大模型）"']);
    expect(lint('视频 (如背景) 很多')).toEqual(['1:3-1:10 half-width-punctuation error " (如背景) "→"（如背景）"']);
  });
  it('leaves Latin punctuation in Latin text, numbers and Latin brackets alone (near misses)', () => {
    expect(lint('比如 Math & Science, Coding 和 10:30 的会，GPT-4 (2023) 发布，见 Hello, world!')).toEqual([]);
    expect(lint('成本 1,000 美元，时间 10:30。')).toEqual([]);
  });
  it('is an error for `:` `?` `!` `;` after Chinese at the end of a paragraph or line, keeping a hard break’s spaces', () => {
    expect(lint('这是我们的猜想:')).toEqual(['1:8-1:9 half-width-punctuation error ":"→"："']);
    expect(lint('明年会爆发?\n\n真的!  \n还有;\n下一行')).toEqual([
      '1:6-1:7 half-width-punctuation error "?"→"？"',
      '3:3-3:4 half-width-punctuation error "!"→"！"',
      '4:3-4:4 half-width-punctuation error ";"→"；"',
    ]);
    expect(lint('## 标题:\n\n| 列 |\n| --- |\n| 是吗? |')).toEqual([
      '1:6-1:7 half-width-punctuation error ":"→"："',
      '5:5-5:6 half-width-punctuation error "?"→"？"',
    ]);
  });
  it('leaves a mark at a line’s end after Latin, and one before a link, alone (near misses)', () => {
    expect(lint('我们问 OpenAI:\n\n他们说 Really?\n\n版本 GPT-4!')).toEqual([]);
    expect(lint('见:[链接](https://example.com)')).toEqual([]);
    expect(lint('结尾,')).toEqual([]);
  });
  it('is an error for `,` `;` `:` between Chinese and Latin, either way round, with the spaces typed after', () => {
    expect(lint('这很难,Google 也一样')).toEqual(['1:4-1:5 half-width-punctuation error ","→"，"']);
    expect(lint('参考: OpenAI 的做法')).toEqual(['1:3-1:5 half-width-punctuation error ": "→"："']);
    expect(lint('Google;也一样')).toEqual(['1:7-1:8 half-width-punctuation error ";"→"；"']);
    expect(lint('收入,2023 年翻倍')).toEqual(['1:3-1:4 half-width-punctuation error ","→"，"']);
  });
  it('leaves Latin text, numbers, times and entities alone (near misses)', () => {
    expect(lint('OpenAI, Google 和 Anthropic 在 10:30 开会，比例 3:1，成本 1,000 美元')).toEqual([]);
    expect(lint('空格&nbsp;中文')).toEqual([]);
  });
  it('agrees with zhlint on the marks zhlint gets right', () => {
    for (const text of ['模型很强,但成本高', '明年:再看', '真的?是']) {
      const ours = lint(text).map((m) => Number(/^1:(\d+)/.exec(m)?.[1]) - 1);
      const theirs = zhlint(text, { rules: { preset: 'default' } }).validations.filter((v) => v.target === 'value').map((v) => v.index);
      expect(ours).toEqual(theirs);
    }
  });
});

describe('straight-quotes', () => {
  it('is an error around Chinese, fixed to curly quotes', () => {
    expect(lint('他说"很好"。')).toEqual(['1:3-1:7 straight-quotes error "\\"很好\\""→"“很好”"']);
    expect(lint("所谓'阵营'之争")).toEqual(['1:3-1:7 straight-quotes error "\'阵营\'"→"‘阵营’"']);
  });
  it('leaves quotes in Latin text and apostrophes alone (near miss)', () => {
    expect(lint('他引用了 "scaling law" 一词，OpenAI\'s 模型。')).toEqual([]);
  });
});

describe('unbalanced-pair', () => {
  it('is an error for a bracket or quotation mark that never closes, or closes nothing', () => {
    expect(lint('这是“阵营（抗衡')).toEqual([
      '1:3-1:4 unbalanced-pair error "“"→null',
      '1:6-1:7 unbalanced-pair error "（"→null',
    ]);
    expect(lint('这是阵营》抗衡')).toEqual(['1:5-1:6 unbalanced-pair error "》"→null']);
  });
  it('counts across emphasis within a paragraph, not across paragraphs, and takes ’ as an apostrophe (near miss)', () => {
    expect(lint('因“**阵营**”抗衡（见 *注*），OpenAI’s 模型')).toEqual([]);
    expect(lint('第一段“引语\n\n第二段”')).toHaveLength(2);
  });
  it('takes marks quoted as themselves as mentioned, not used (near miss)', () => {
    expect(lint('行首不出现“，。）》」』”等标点，行尾不出现“（《「『”等')).toEqual([]);
    expect(lint('行首不出现“）》”等，而（未闭合')).toEqual(['1:13-1:14 unbalanced-pair error "（"→null']);
  });
});

describe('space-before-punctuation', () => {
  it('is a warning, fixed by removing the space', () => {
    expect(lint('模型很强 ，但成本高　。')).toEqual([
      '1:5-1:6 space-before-punctuation warning " "→""',
      '1:11-1:12 space-before-punctuation warning "　"→""',
    ]);
  });
  it('does not touch spaces after punctuation, before opening marks, or ending a URL (near miss)', () => {
    expect(lint('模型很强， 成本 （高）')).toEqual([]);
    expect(lint('网址 https://example.com/a ，以及')).toEqual([]);
  });
  it('agrees with zhlint that a space before a Chinese pause is wrong', () => {
    expect(zhlint('模型很强 ，但成本高', { rules: { preset: 'default' } }).result).toBe('模型很强，但成本高');
  });
});

describe('full-width-alphanumeric', () => {
  it('is a warning, fixed to ASCII', () => {
    expect(lint('ＧＰＴ－４ 与 ２０２４ 年')).toEqual([
      '1:1-1:4 full-width-alphanumeric warning "ＧＰＴ"→"GPT"',
      '1:5-1:6 full-width-alphanumeric warning "４"→"4"',
      '1:9-1:13 full-width-alphanumeric warning "２０２４"→"2024"',
    ]);
  });
  it('leaves full-width punctuation and half-width letters alone (near miss)', () => {
    expect(lint('GPT-4 与 2024 年，（注）')).toEqual([]);
  });
});

describe('repeated-punctuation', () => {
  it('is a warning; doubled stops are fixed, doubled question marks only suggested', () => {
    const file = new VFile({ path: 'letter.md', value: '结束了。。真的吗？？' });
    const findings = lintLetter(file);
    expect(findings.map((f) => [f.ruleId, f.severity, f.actual, f.expected, f.safe])).toEqual([
      ['repeated-punctuation', 'warning', '。。', '。', true],
      ['repeated-punctuation', 'warning', '？？', '？', false],
    ]);
  });
  it('leaves the ellipsis, the dash and mixed marks alone (near miss)', () => {
    expect(lint('等等……还有——真的？！')).toEqual([]);
  });
});

describe('han-latin-spacing', () => {
  it('warns where a letter breaks its own habit, at the exact place', () => {
    expect(lint('复刻 GPT-4 比预期难，Google 也才接近，明年 Q1 发布。\n\n然后Claude 推出。')).toEqual([
      '3:3-3:3 han-latin-spacing warning ""→" "',
    ]);
  });
  it('is silent when a letter is consistent either way (near miss)', () => {
    expect(lint('复刻 GPT-4 比预期难，Google 也才接近。')).toEqual([]);
    expect(lint('复刻GPT-4比预期难，Google也才接近。')).toEqual([]);
  });
});

describe('what is not prose', () => {
  it('skips code, inline code, URLs, front matter and raw HTML', () => {
    const markdown = [
      '---',
      'title: 标题,标题',
      '---',
      '',
      '代码 `中文,中文` 和 <https://example.com/a?b=c> 及 https://example.com/中文,中文 见',
      '',
      '```',
      '中文,中文 "引号"',
      '```',
    ].join('\n');
    expect(lint(markdown)).toEqual([]);
  });
  it('skips formulas, as the build reads them ($…$, $$…$$ blocks and one-line $$…$$), and still checks the text around them', () => {
    const markdown = ['设 $甲,乙$ 为已知,则', '', '$$', '收益:成本', '$$', '', '$$丙;丁$$'].join('\n');
    expect(lint(markdown)).toEqual(['1:12-1:13 half-width-punctuation error ","→"，"']);
  });

  it('reports link text and table cells at their exact place', () => {
    expect(lint('见[中文,中文](https://example.com)\n\n| 列 |\n| --- |\n| 甲,乙 |')).toEqual([
      '1:5-1:6 half-width-punctuation error ","→"，"',
      '5:4-5:5 half-width-punctuation error ","→"，"',
    ]);
  });
});
