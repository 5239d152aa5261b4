import { describe, expect, it } from 'vitest';
import { frontMatterSchema } from '../../src/config/front-matter-schema.ts';
import { letterDate, mapFrontMatter } from '../../src/import/map-front-matter.ts';

const context = { fileTitle: '周报', today: '2024-07-01', given: {}, house: { organisation: '拾象 Shixiang', confidentiality: '保密 · 仅供 LP 参阅' } };

describe('front matter of an exported document', () => {
  it('maps Jekyll’s keys, drops the rest with a note, and fills what a letter needs, listing each', () => {
    const { frontMatter, changes } = mapFrontMatter('layout: post\ntitle: "2023 年度致 LP 信"\ndate: 2024-03-01 10:00:00 +0800\ncategory: letters\ntags: [年度信, 回撤]\npermalink: /x/\ndescription: 回顾 2023 年。', context);
    expect(frontMatter).toEqual({
      title: '2023 年度致 LP 信',
      recipients: '全体有限合伙人',
      date: '2024-03-01',
      organisation: '拾象 Shixiang',
      author: '拾象 Shixiang',
      confidentiality: '保密 · 仅供 LP 参阅',
      subject: '回顾 2023 年。',
      keywords: ['年度信', '回撤', 'letters'],
    });
    expect(frontMatterSchema.safeParse(frontMatter).success).toBe(true);
    expect(changes.map((c) => c.text)).toEqual([
      'recipients: filled: 全体有限合伙人',
      'organisation: filled from the house style: 拾象 Shixiang',
      'author: filled: the organisation (拾象 Shixiang)',
      'confidentiality: filled from the house style: 保密 · 仅供 LP 参阅',
      'subject: from the document’s description',
      'keywords: from the document’s tags and category',
      "front matter: dropped `layout`, `permalink` (not a letter's key)",
    ]);
  });

  it('takes a key from the flags before the document, and the title from the first heading when there is none', () => {
    const { frontMatter, changes } = mapFrontMatter('created: 2024-07-03 09:12\naliases: [x]', { ...context, firstHeading: '2024 Q2 组合回顾', given: { author: '张三', recipients: '旗舰基金 LP' } });
    expect(frontMatter).toMatchObject({ title: '2024 Q2 组合回顾', date: '2024-07-03', author: '张三', recipients: '旗舰基金 LP' });
    expect(changes.map((c) => c.text)).toContain('title: filled from the first heading (“2024 Q2 组合回顾”)');
    expect(changes.map((c) => c.text)).toContain('author: from --author');
  });

  it('fills today’s date when the document has none, and reads the dates editors write', () => {
    expect(mapFrontMatter(undefined, context).frontMatter.date).toBe('2024-07-01');
    expect(letterDate('2024年5月20日 14:32')).toBe('2024-05-20');
    expect(letterDate('2024/6/3')).toBe('2024-06-03');
    expect(letterDate(new Date(Date.UTC(2023, 11, 5)))).toBe('2023-12-05');
    expect(letterDate('soon')).toBeUndefined();
  });
});
