import { parse } from 'yaml';
import type { FrontMatterKey } from '../config/front-matter-schema.ts';

/** One line of the import's report: what changed, at which line of the source (0: the document as a whole). */
export interface ImportChange {
  line: number;
  text: string;
}

/** The keys a letter must have that an exported document seldom does, and who may give them. */
export type Given = Partial<Record<'title' | 'date' | 'author' | 'recipients' | 'organisation' | 'confidentiality', string>>;

/** The house style's values, taken from a letter of the project when there is one. */
export interface HouseStyle {
  organisation: string;
  confidentiality: string;
}

const recipientsDefault = '全体有限合伙人';

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(text).filter(Boolean).join('、') || undefined;
  return undefined;
}

/** `2023-12-05 10:00:00 +0800`, a YAML date, `2023/12/5`, `2023年12月5日` → `2023-12-05`. */
export function letterDate(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  const match = /^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2}))?/.exec(String(value ?? '').trim());
  if (!match) return undefined;
  const [, y, m, d] = match;
  return [y, m?.padStart(2, '0'), d?.padStart(2, '0')].filter(Boolean).join('-');
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(text).filter((v): v is string => v !== undefined);
  const one = text(value);
  return one ? one.split(/[,，、;；]\s*/).filter(Boolean) : [];
}

/**
 * A document's front matter (any editor's keys) as a letter's: title, date,
 * author, tags (or keywords, categories) → keywords, description (or summary,
 * excerpt) → subject; every other key is dropped, with a note. A required key
 * the document does not give comes from `given` (the command's flags), else
 * from the house style or a default a fund expects, and is listed so the
 * author checks it.
 */
export function mapFrontMatter(
  yamlText: string | undefined,
  context: { firstHeading?: string; fileTitle: string; today: string; given: Given; house: HouseStyle },
): { frontMatter: Record<string, unknown>; changes: ImportChange[] } {
  const changes: ImportChange[] = [];
  let source: Record<string, unknown> = {};
  if (yamlText !== undefined) {
    try {
      const parsed: unknown = parse(yamlText, { maxAliasCount: 100 });
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) source = parsed as Record<string, unknown>;
    } catch {
      changes.push({ line: 1, text: 'front matter is not valid YAML: it was set aside, and the keys below filled' });
    }
  }
  const out: Record<string, unknown> = {};
  const { given, house } = context;
  const take = (key: FrontMatterKey, value: string | undefined, from: string): void => {
    if (value === undefined) return;
    out[key] = value;
    if (from) changes.push({ line: 1, text: `${key}: ${from}` });
  };

  take('title', given.title, 'from --title');
  if (!out.title) take('title', text(source.title), '');
  if (!out.title) take('title', context.firstHeading, `filled from the first heading (“${context.firstHeading}”)`);
  if (!out.title) take('title', context.fileTitle, `filled from the file name (“${context.fileTitle}”)`);
  if (typeof source.shortTitle === 'string') out.shortTitle = source.shortTitle;

  take('recipients', given.recipients, 'from --recipients');
  if (!out.recipients) take('recipients', text(source.recipients), '');
  if (!out.recipients) take('recipients', recipientsDefault, `filled: ${recipientsDefault}`);

  take('date', given.date, 'from --date');
  if (!out.date) take('date', letterDate(source.date ?? source.created ?? source.updated), '');
  if (!out.date) take('date', context.today, `filled: today (${context.today})`);

  take('organisation', given.organisation, 'from --organisation');
  if (!out.organisation) take('organisation', text(source.organisation ?? source.organization), '');
  if (!out.organisation) take('organisation', house.organisation, `filled from the house style: ${house.organisation}`);

  take('author', given.author, 'from --author');
  if (!out.author) take('author', text(source.author ?? source.authors), '');
  if (!out.author) take('author', String(out.organisation), `filled: the organisation (${String(out.organisation)})`);

  if (typeof source.lang === 'string' && ['zh-CN', 'zh-Hans', 'en'].includes(source.lang)) out.lang = source.lang;
  take('confidentiality', given.confidentiality, 'from --confidentiality');
  if (!out.confidentiality) take('confidentiality', text(source.confidentiality), '');
  if (!out.confidentiality) take('confidentiality', house.confidentiality, `filled from the house style: ${house.confidentiality}`);

  const subject = text(source.subject ?? source.description ?? source.summary ?? source.excerpt);
  if (subject) {
    out.subject = subject.replace(/\s+/g, ' ');
    if (source.subject === undefined) changes.push({ line: 1, text: 'subject: from the document’s description' });
  }
  const keywords = [...new Set([...list(source.keywords), ...list(source.tags), ...list(source.categories ?? source.category)])];
  if (keywords.length > 0) {
    out.keywords = keywords;
    if (source.keywords === undefined) changes.push({ line: 1, text: `keywords: from the document’s ${['tags', 'categories', 'category'].filter((k) => source[k] !== undefined).join(' and ')}` });
  }
  for (const key of ['closing', 'toc'] as const) if (source[key] !== undefined) out[key] = source[key];

  const used = new Set(['title', 'shortTitle', 'recipients', 'date', 'created', 'updated', 'organisation', 'organization', 'author', 'authors', 'lang', 'confidentiality', 'subject', 'description', 'summary', 'excerpt', 'keywords', 'tags', 'categories', 'category', 'closing', 'toc']);
  const dropped = Object.keys(source).filter((key) => !used.has(key));
  if (dropped.length > 0) changes.push({ line: 1, text: `front matter: dropped ${dropped.map((k) => `\`${k}\``).join(', ')} (not a letter's key)` });
  return { frontMatter: out, changes };
}
