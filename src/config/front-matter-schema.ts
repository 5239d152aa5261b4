import { z } from 'zod';
import { limits } from '../load/limits.ts';

/** `YYYY-MM` or `YYYY-MM-DD`, and a date that exists on the calendar. */
const letterDate = z
  .string()
  .regex(/^\d{4}-\d{2}(-\d{2})?$/, { message: 'must be YYYY-MM or YYYY-MM-DD', abort: true })
  .refine(isCalendarDate, 'is not a date that exists');

function isCalendarDate(value: string): boolean {
  const [y, m, d = 1] = value.split('-').map(Number) as [number, number, number?];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Text up to `max` characters, without control characters (a form feed or escape has no place in a title, and would reach CSS and PDF metadata). */
const textOf = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\0-\x08\x0b-\x1f\x7f-\x9f]*$/, 'must not hold control characters (such as a form feed or escape)');
const text = textOf(limits.valueLength);
const titleText = textOf(limits.titleLength);

/** The one schema for a letter's YAML front matter; unknown keys are errors (typos must not pass silently). */
export const frontMatterSchema = z.strictObject({
  title: titleText,
  shortTitle: titleText.optional(),
  recipients: text,
  date: letterDate,
  author: text,
  organisation: text,
  lang: z.enum(['zh-CN', 'zh-Hans', 'en']).default('zh-CN'),
  confidentiality: text,
  subject: text.optional(),
  keywords: z.array(text).default([]),
  closing: z
    .strictObject({ signoff: text.optional(), signature: text.optional(), notice: text.optional() })
    .optional(),
  toc: z
    .union([z.boolean(), z.strictObject({ depth: z.number().int().min(1).max(4) })])
    .default(true),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;
export type FrontMatterKey = keyof FrontMatter;

/** The letter's date as a UTC instant (first of the month when only YYYY-MM is given). */
export function letterInstant(date: string): Date {
  const [y, m, d = 1] = date.split('-').map(Number) as [number, number, number?];
  return new Date(Date.UTC(y, m - 1, d));
}
