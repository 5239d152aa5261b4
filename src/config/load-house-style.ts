import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { ContentError, UsageError } from '../common/errors.ts';
import { imageProblem, imageTypes } from '../load/image-type.ts';
import { isInside } from '../load/is-inside.ts';
import { limits } from '../load/limits.ts';
import { quoteHead } from '../load/quote.ts';
import { readImage } from '../load/read-image.ts';
import { defaultHouseStyle, houseStyleSchema, type HouseStyle } from './house-style-schema.ts';
import { firstAlias, keyPlace, valuePlace, type At, type Point } from './yaml-places.ts';

/** The house style's file at the project's root. */
export const houseStyleFile = 'letterpress.config.yaml';

/** Bytes of the house style's file: a page of settings, far below this. */
const maxBytes = 64 * 1024;

/** The logo's types: what a letterhead can hold. */
const logoTypes = new Set(['image/png', 'image/svg+xml']);

/**
 * The project's house style: `--config FILE` when given (it must exist),
 * else `letterpress.config.yaml` in `cwd` when there is one, else the
 * built-in design. Problems are messages at their line and column in the
 * file, thrown as a ContentError; the logo must be a PNG or SVG file inside
 * the project (links included) and is checked like a letter's images.
 */
export async function loadHouseStyle(cwd: string, configPath?: string): Promise<HouseStyle> {
  const absolute = path.resolve(cwd, configPath ?? houseStyleFile);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) {
    if (configPath === undefined) return defaultHouseStyle;
    throw new UsageError(`--config \`${quoteHead(configPath)}\` not found: name the house style's YAML file (see docs/house-style.md)`);
  }
  if (!info.isFile()) throw new UsageError(`the house style \`${quoteHead(configPath ?? houseStyleFile)}\` is not a file: name a YAML file`);
  if (info.size > maxBytes) throw new UsageError(`the house style \`${quoteHead(configPath ?? houseStyleFile)}\` is larger than ${maxBytes / 1024} KB: it holds settings only`);
  const file = new VFile({ path: path.relative(cwd, absolute) || absolute, cwd, value: await readFile(absolute, 'utf8') });
  const settings = parseHouseStyle(file);
  if (!settings) throw new ContentError([file]);
  const logo = settings.organisation.logo;
  if (logo === undefined) return settings;
  const logoUrl = await readLogo(file, logo, cwd, absolute);
  if (logoUrl === undefined) throw new ContentError([file]);
  return { ...settings, logoUrl };
}

/** The settings of a house style's text, or undefined with fatal messages on `file`. */
export function parseHouseStyle(file: VFile): HouseStyle | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(String(file.value), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at: At = (offset) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const start = { line: 1, column: 1 };
  if (doc.errors.length > 0) {
    for (const error of doc.errors) fail(file, `invalid YAML: ${error.message.split('\n')[0] ?? ''}`, at(error.pos[0]), 'house-style-yaml');
    return undefined;
  }
  // An empty file is the built-in design.
  if (doc.contents === null) return defaultHouseStyle;
  if (!isMap(doc.contents)) {
    fail(file, 'the house style must be a YAML mapping of `key: value` lines', start, 'house-style-shape');
    return undefined;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.yamlAliases });
  } catch {
    fail(file, `the house style expands YAML aliases beyond the limit of ${limits.yamlAliases} values: write the values out`, firstAlias(doc, at) ?? start, 'house-style-aliases');
    return undefined;
  }
  const result = houseStyleSchema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const keyPath = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fail(file, `unknown house-style key \`${quoteHead([...keyPath, key].join('.'))}\``, keyPlace(doc, [...keyPath, key], at) ?? start, 'house-style-unknown-key');
    } else {
      fail(file, `house-style key \`${keyPath.join('.')}\` ${issue.message}`, valuePlace(doc, issue.path, at) ?? start, 'house-style-invalid');
    }
  }
  return undefined;
}

/** The logo as a data: URL, or undefined with a message at `organisation.logo`. */
async function readLogo(file: VFile, logo: string, cwd: string, configFile: string): Promise<string | undefined> {
  const lines = new LineCounter();
  const doc = parseDocument(String(file.value), { lineCounter: lines });
  const place = valuePlace(doc, ['organisation', 'logo'], (offset) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  });
  const refuse = (reason: string): undefined => {
    fail(file, `logo \`${quoteHead(logo)}\` ${reason}`, place ?? { line: 1, column: 1 }, 'house-style-logo');
    return undefined;
  };
  const project = await realpath(cwd);
  // Relative to the house style's file, as a letter's images are to the letter.
  const absolute = path.resolve(path.dirname(configFile), logo);
  if (!isInside(cwd, absolute) && !isInside(project, absolute)) return refuse('is outside the project: put the logo in the project (such as assets/logo.svg)');
  const type = imageTypes[path.extname(absolute).toLowerCase()];
  if (!type || !logoTypes.has(type)) return refuse('is not a PNG or SVG image (by its name)');
  const read = await readImage(absolute, [{ given: cwd, real: project }]);
  if (read === 'missing') return refuse(`not found (looked for ${quoteHead(path.relative(cwd, absolute))})`);
  if (typeof read === 'string') return refuse(read.startsWith('is a link') ? 'is a link to a file outside the project: copy the logo into the project' : read);
  const problem = imageProblem(type, read);
  if (problem) return refuse(problem);
  return `data:${type};base64,${read.toString('base64')}`;
}

function fail(file: VFile, reason: string, place: Point, ruleId: string): void {
  const message = file.message(reason, { place, ruleId, source: 'letterpress' });
  message.fatal = true;
}
