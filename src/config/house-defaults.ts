import { labelLanguage, type HouseStyle } from './house-style-schema.ts';

/**
 * A letter's front matter with the house style's defaults under it: the
 * organisation, the confidentiality label of the letter's language, and the
 * closing's lines. What the letter writes always wins, key by key.
 */
export function withHouseDefaults(frontMatter: Record<string, unknown>, house: HouseStyle): Record<string, unknown> {
  const lang = typeof frontMatter.lang === 'string' ? frontMatter.lang : 'zh-CN';
  const result = { ...frontMatter };
  const organisation = house.organisation.name;
  if (organisation !== undefined && result.organisation === undefined) result.organisation = organisation;
  const confidentiality = house.labels[labelLanguage(lang)].confidentiality;
  if (confidentiality !== undefined && result.confidentiality === undefined) result.confidentiality = confidentiality;
  const closing = result.closing;
  if (Object.keys(house.closing).length > 0 && (closing === undefined || isRecord(closing))) result.closing = { ...house.closing, ...closing };
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
