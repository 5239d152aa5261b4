import { outputConditionNames, type OutputCondition } from './output-conditions.ts';
import { defaultPermissions, permissionNames } from './permissions.ts';
import { z } from 'zod';

/** One line of text for a label: no control characters (labels reach CSS, PDF metadata and stamps). */
const label = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[^\0-\x1f\x7f-\x9f]*$/, 'must not hold control characters (such as a tab or newline)');

const holding = (field: string) => (value: string) => value.includes(field);

/** The words the pipeline adds to a letter in one language. `{name}`, `{n}` and `{N}` are filled in. */
const labelSet = (defaults: { to: string; date: string; preparedFor: string; copy: string; toc: string; page: string }) =>
  z
    .strictObject({
      to: label.default(defaults.to),
      date: label.default(defaults.date),
      preparedFor: label.refine(holding('{name}'), 'must hold `{name}`, where the recipient’s name goes').default(defaults.preparedFor),
      /** The line under a copy's stamp and on its address page: the recipient's id. */
      copy: label.refine(holding('{id}'), 'must hold `{id}`, where the recipient’s id goes').default(defaults.copy),
      toc: label.default(defaults.toc),
      page: label.refine(holding('{n}'), 'must hold `{n}`, where the page number goes').default(defaults.page),
      /** The letter's confidentiality label when its front matter has none. */
      confidentiality: label.optional(),
    })
    .prefault({});

/** Today's running footer, in every language. */
const pageLabel = '第 {n} 页 / 共 {N} 页';

/**
 * The one schema for `letterpress.config.yaml`, the fund's house style. Every
 * key is optional; an empty file (or none) is the built-in design. Unknown
 * keys are errors, so a misspelt key never passes silently.
 */
export const houseStyleSchema = z.strictObject({
  organisation: z
    .strictObject({
      /** The letters' `organisation:` when their front matter has none. */
      name: label.optional(),
      /** A PNG or SVG file in the project, shown in the letterhead before the name. */
      logo: label.optional(),
    })
    .prefault({}),
  accent: z
    .string()
    .regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a colour as #rgb or #rrggbb')
    .default('#6b1f1f'),
  faces: z
    .strictObject({
      body: z.enum(['Noto Serif SC', 'Noto Sans SC']).default('Noto Serif SC'),
      headings: z.enum(['Noto Serif SC', 'Noto Sans SC']).default('Noto Sans SC'),
    })
    .prefault({}),
  labels: z
    .strictObject({
      zh: labelSet({ to: '致', date: '日期', preparedFor: '谨呈 {name}', copy: '副本 {id}', toc: '目录', page: pageLabel }),
      en: labelSet({ to: 'To:', date: 'Date:', preparedFor: 'Prepared for {name}', copy: 'Copy {id}', toc: 'Contents', page: pageLabel }),
    })
    .prefault({}),
  /** The closing's lines when a letter does not write them (each line on its own). */
  closing: z.strictObject({ signoff: label.optional(), signature: label.optional(), notice: z.string().trim().min(1).max(2000).optional() }).prefault({}),
  paper: z.enum(['a4', 'letter']).default('a4'),
  /** The printing condition of `--pdfx` files (see output-conditions.ts); `build --output-condition` overrides it. */
  pdfx: z.enum(outputConditionNames as [OutputCondition, ...OutputCondition[]]).default('us-swop'),
  /** What an encrypted copy lets its reader do without the owner password (`distribute --allow` overrides it). */
  encryption: z.array(z.enum(permissionNames)).default([...defaultPermissions]),
});

export type HouseStyleSettings = z.infer<typeof houseStyleSchema>;
export type Labels = HouseStyleSettings['labels']['zh'];
export type LabelLanguage = keyof HouseStyleSettings['labels'];

/** The house style as the pipeline uses it: the settings, and the logo read, checked and inlined. */
export interface HouseStyle extends HouseStyleSettings {
  /** The logo as a data: URL. */
  logoUrl?: string;
}

/** The built-in design: what a project without `letterpress.config.yaml` gets. */
export const defaultHouseStyle: HouseStyle = houseStyleSchema.parse({});

/** The labels' language of a letter: Chinese for Chinese letters. */
export function labelLanguage(lang: string): LabelLanguage {
  return lang === 'en' ? 'en' : 'zh';
}

/** A label with its `{name}`, `{n}`, `{N}` filled in. */
export function fillLabel(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * The line that names a copy's recipient, in the letter's language (`谨呈 甲资本`,
 * `Prepared for Fund A`): what a personalised copy prints in its footer.
 */
export function preparedForLine(house: HouseStyle, lang: string, name: string): string {
  return fillLabel(house.labels[labelLanguage(lang)].preparedFor, { name });
}
