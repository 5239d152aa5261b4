import type { Root, Yaml } from 'mdast';
import type { VFile } from 'vfile';
import { isMap, LineCounter, parseDocument } from 'yaml';
import type { ZodType } from 'zod';
import type { FrontMatter } from '../config/front-matter-schema.ts';
import { withHouseDefaults } from '../config/house-defaults.ts';
import { firstAlias, keyPlace, valuePlace, type Point } from '../config/yaml-places.ts';
import { limits } from '../load/limits.ts';
import { quoteHead } from '../load/quote.ts';
import './vfile-data.ts';

export interface FrontMatterOptions {
  schema: ZodType<FrontMatter>;
}

/**
 * Parses the YAML front matter and validates it against `schema`.
 * The result lands in `file.data.frontMatter`; every problem becomes a fatal
 * message placed on the offending key or value in the Markdown file.
 */
export function remarkFrontMatter(options: FrontMatterOptions) {
  const { schema } = options;
  return (tree: Root, file: VFile): void => {
    const node = tree.children[0];
    if (node?.type !== 'yaml') {
      fail(file, 'missing front matter: the letter must start with a `---` YAML block', { line: 1, column: 1 }, 'front-matter-missing');
      return;
    }
    const yaml = node as Yaml;
    // The YAML text starts on the line after the opening `---`.
    const firstLine = (yaml.position?.start.line ?? 1) + 1;
    const lines = new LineCounter();
    const doc = parseDocument(yaml.value, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const at = (offset: number): Point => {
      const p = lines.linePos(offset);
      return { line: firstLine + p.line - 1, column: p.col };
    };

    if (doc.errors.length > 0) {
      for (const error of doc.errors) fail(file, `invalid YAML in front matter: ${firstSentence(error.message)}`, at(error.pos[0]), 'front-matter-yaml');
      return;
    }
    if (!isMap(doc.contents)) {
      fail(file, 'front matter must be a YAML mapping of `key: value` lines', at(0), 'front-matter-shape');
      return;
    }

    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.yamlAliases });
    } catch {
      // yaml's "Excessive alias count": a few nested aliases (`*a`) would expand to billions of values.
      fail(file, `front matter expands YAML aliases (\`*name\`) beyond the limit of ${limits.yamlAliases} values: write the values out`, firstAlias(doc, at) ?? at(0), 'front-matter-aliases');
      return;
    }
    const { house } = file.data;
    if (house && isMap(doc.contents)) value = withHouseDefaults(value as Record<string, unknown>, house);
    const result = schema.safeParse(value);
    if (result.success) {
      file.data.frontMatter = result.data;
      return;
    }
    const start: Point = { line: yaml.position?.start.line ?? 1, column: 1 };
    for (const issue of result.error.issues) {
      const keyPath = issue.path.map(String);
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          fail(file, `unknown front-matter key \`${quoteHead([...keyPath, key].join('.'))}\``, keyPlace(doc, [...keyPath, key], at) ?? start, 'front-matter-unknown-key');
        }
      } else if (issue.code === 'invalid_type' && doc.getIn(issue.path, true) === undefined) {
        fail(file, `missing required front-matter key \`${keyPath.join('.')}\``, start, 'front-matter-missing-key');
      } else {
        fail(file, `front-matter key \`${keyPath.join('.')}\` ${issue.message}`, valuePlace(doc, issue.path, at) ?? start, 'front-matter-invalid');
      }
    }
  };
}

function fail(file: VFile, reason: string, place: Point, ruleId: string): void {
  const message = file.message(reason, { place, ruleId, source: 'letterpress' });
  message.fatal = true;
}

function firstSentence(message: string): string {
  return message.split('\n')[0] ?? message;
}
