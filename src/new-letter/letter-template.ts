import { stringify } from 'yaml';

/** What a new letter's front matter is filled in with. */
export interface TemplateValues {
  /** YYYY-MM-DD. */
  date: string;
  organisation: string;
}

/**
 * A new letter: every required front-matter key filled in, and a body that
 * shows the common parts (headings, a list, a table) in the house style, so it
 * builds and lints clean as it is.
 */
export function letterTemplate({ date, organisation }: TemplateValues): string {
  const frontMatter = stringify({
    title: '致有限合伙人的信',
    shortTitle: '致 LP 的信',
    recipients: '全体有限合伙人',
    date,
    author: organisation,
    organisation,
    lang: 'zh-CN',
    confidentiality: '保密 · 仅供 LP 参阅',
  });
  return `---
${frontMatter}---

各位合伙人：

这里是信的开头。一段话写成一段，段落之间空一行。

## 一、本期概览

- 第一个要点。
- 第二个要点。

## 二、组合公司

| 公司 | 阶段 | 说明 |
| --- | --- | --- |
| 示例公司 | A 轮 | 一句话说明 |

## 三、展望

这里写展望。
`;
}
