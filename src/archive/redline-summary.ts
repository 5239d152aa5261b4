import type { Element } from 'hast';
import { h } from 'hastscript';
import type { FrontMatter } from '../config/front-matter-schema.ts';

/** The summary's words, in the letter's language. */
const words = {
  zh: {
    title: (a: number, b: number) => `修订对照 v${a} → v${b}`,
    counts: (ins: number, del: number) => `插入 ${ins} 字 · 删除 ${del} 字`,
    sections: '改动的部分',
    opening: '开篇',
    none: '正文没有改动',
    frontMatter: '信头与信息',
    changed: (field: string, from: string, to: string) => `${field}由「${from}」改为「${to}」`,
    added: (field: string, to: string) => `新增${field}「${to}」`,
    removed: (field: string, from: string) => `删去${field}（原为「${from}」）`,
    legend: ['图例', '插入', '删除', '左侧竖线：本行有改动'],
    list: '、',
    yes: '是',
    no: '否',
    fields: {
      title: '标题',
      shortTitle: '简称',
      recipients: '收件人',
      date: '日期',
      author: '作者',
      organisation: '机构',
      lang: '语言',
      confidentiality: '密级',
      subject: '摘要',
      keywords: '关键词',
      'closing.signoff': '结束语',
      'closing.signature': '署名',
      'closing.notice': '声明',
      toc: '目录',
    },
  },
  en: {
    title: (a: number, b: number) => `Redline v${a} → v${b}`,
    counts: (ins: number, del: number) => `${ins} character(s) inserted · ${del} deleted`,
    sections: 'Sections changed',
    opening: 'Opening',
    none: 'The text is unchanged',
    frontMatter: 'Letterhead and details',
    changed: (field: string, from: string, to: string) => `${field} changed from “${from}” to “${to}”`,
    added: (field: string, to: string) => `${field} added: “${to}”`,
    removed: (field: string, from: string) => `${field} removed (was “${from}”)`,
    legend: ['Key', 'inserted', 'deleted', 'bar in the margin: the line changed'],
    list: ', ',
    yes: 'yes',
    no: 'no',
    fields: {
      title: 'Title',
      shortTitle: 'Short title',
      recipients: 'Recipients',
      date: 'Date',
      author: 'Author',
      organisation: 'Organisation',
      lang: 'Language',
      confidentiality: 'Confidentiality',
      subject: 'Subject',
      keywords: 'Keywords',
      'closing.signoff': 'Sign-off',
      'closing.signature': 'Signature',
      'closing.notice': 'Notice',
      toc: 'Contents',
    },
  },
};

type Words = (typeof words)['zh'] | (typeof words)['en'];
type Field = keyof Words['fields'];

/** A front-matter value as a reader says it (a list joined, a TOC setting in words). */
function valueText(value: unknown, say: Words): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(String).join(say.list);
  if (typeof value === 'boolean') return value ? say.yes : say.no;
  if (typeof value === 'object' && value !== null && 'depth' in value) return String((value as { depth: number }).depth);
  return String(value);
}

function fieldValue(meta: FrontMatter, field: Field): unknown {
  if (field.startsWith('closing.')) return meta.closing?.[field.slice('closing.'.length) as 'signoff' | 'signature' | 'notice'];
  return meta[field as keyof FrontMatter];
}

/** What changed in the front matter, one sentence a value. */
export function frontMatterChanges(older: FrontMatter, newer: FrontMatter, lang: string): string[] {
  const say = lang === 'en' ? words.en : words.zh;
  return (Object.keys(say.fields) as Field[]).flatMap((field) => {
    const [a, b] = [valueText(fieldValue(older, field), say), valueText(fieldValue(newer, field), say)];
    if (a === b) return [];
    const name = say.fields[field];
    if (a === undefined) return [say.added(name, b ?? '')];
    if (b === undefined) return [say.removed(name, a)];
    return [say.changed(name, a, b)];
  });
}

export interface SummaryInput {
  from: number;
  to: number;
  lang: string;
  inserted: number;
  deleted: number;
  /** Sections with a change; `''` is the text before the first heading. */
  sections: string[];
  frontMatter: string[];
}

/** The redline's first block: what changed, in numbers and words, and how the marks read. */
export function redlineSummary(input: SummaryInput): Element {
  const say = input.lang === 'en' ? words.en : words.zh;
  const [key, inserted, deleted, bar] = say.legend;
  return h('section.redline-summary', [
    h('p.redline-title', say.title(input.from, input.to)),
    h('p.redline-counts', say.counts(input.inserted, input.deleted)),
    input.sections.length > 0
      ? h('p.redline-sections', [h('span.redline-label', say.sections), ' ', input.sections.map((s) => s || say.opening).join(say.list)])
      : h('p.redline-sections', say.none),
    input.frontMatter.length > 0 ? h('div.redline-front-matter', [h('span.redline-label', say.frontMatter), h('ul', input.frontMatter.map((line) => h('li', line)))]) : [],
    h('p.redline-legend', [`${key} `, h('ins.rl-sample', inserted), ' ', h('del.rl-sample', deleted), ` · ${bar}`]),
  ]);
}
