import { toHtml } from 'hast-util-to-html';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

describe('the Chinese-text checks in the build', () => {
  it('report as warnings at their place, so a letter that built before still builds', async () => {
    const value = ['---', 'title: 测试', 'recipients: LPs', 'date: 2024-01', 'author: 甲', 'organisation: 乙', 'confidentiality: 保密', '---', '', '模型很强,但成本高。'].join('\n');
    const file = new VFile({ path: 'letter.md', value });
    const html = toHtml(await processMarkdown(file));
    expect(html).toContain('模型很强,但成本高');
    expect(file.messages.map((m) => [m.ruleId, m.fatal, m.line, m.column, m.expected])).toEqual([['half-width-punctuation', false, 10, 5, ['，']]]);
  });
});
