import { z } from 'zod';
import { defaultHouseStyle, houseStyleSchema, type HouseStyle } from '../config/house-style-schema.ts';

/** The file of a version that holds the house style it was built with (absent for the built-in design). */
export const houseStyleName = 'house-style.json';

/** The house style as a version keeps it: its settings resolved, its logo inlined. */
const recordSchema = z.strictObject({
  settings: houseStyleSchema,
  logo: z.string().startsWith('data:image/').optional(),
});

/** The house style as the file a version keeps, or undefined for the built-in design (the version then has none). */
export function houseStyleRecord(house: HouseStyle | undefined): string | undefined {
  if (!house) return undefined;
  const { logoUrl, ...settings } = house;
  if (logoUrl === undefined && JSON.stringify(settings) === JSON.stringify(defaultHouseStyle)) return undefined;
  return `${JSON.stringify({ settings, ...(logoUrl && { logo: logoUrl }) }, null, 2)}\n`;
}

/** The house style a version was built with, from its file. */
export function readHouseStyleRecord(text: string): HouseStyle {
  const { settings, logo } = recordSchema.parse(JSON.parse(text));
  return logo === undefined ? settings : { ...settings, logoUrl: logo };
}
