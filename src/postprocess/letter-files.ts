import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { VFile } from 'vfile';
import type { PageSetup } from '../config/page-setup.ts';
import { bundledFaces } from '../fonts/font-faces.ts';
import { keptLayout } from '../load/kept-layout.ts';
import { letterSlug } from '../load/load-letters.ts';
import { imageTypes } from '../load/image-type.ts';
import { letterpressVersion } from '../common/version.ts';
import type { AssociatedFile } from './pdfa.ts';

/** The name of the build record inside a PDF/A file. */
export const buildRecordName = 'letterpress-build.json';

/**
 * What a PDF/A letter carries so that the PDF alone is enough to rebuild and
 * check it: the Markdown source as `<slug>.md`, each image it shows at its
 * path relative to the letter (or, with images from the assets folder, the
 * letter and its images laid out as in the project: see kept-layout.ts), and a build record
 * naming the toolchain, the page setup and the hash of every file. Nothing in
 * it depends on the clock or the folder the build ran in.
 */
export async function letterFiles(file: VFile, page: PageSetup, browserVersion: string, sourceDateEpoch: number | undefined): Promise<AssociatedFile[]> {
  const slug = letterSlug(file);
  const meta = file.data.frontMatter;
  const layout = keptLayout(file);
  const source: AssociatedFile = {
    name: layout.folders ? `${layout.folders.letter}/${slug}.md` : `${slug}.md`,
    data: Buffer.from(String(file.value), 'utf8'),
    mime: 'text/markdown',
    relationship: 'Source',
    description: 'the letter as written (Markdown with YAML front matter)',
  };
  const images = await Promise.all(
    (file.data.assets ?? []).map(async (asset): Promise<AssociatedFile> => {
      const absolute = path.resolve(file.cwd, asset.path);
      return {
        name: layout.name(absolute),
        data: await readFile(absolute),
        mime: imageTypes[path.extname(absolute).toLowerCase()] ?? 'application/octet-stream',
        relationship: 'Source',
        description: 'an image of the letter',
      };
    }),
  );
  const sources = [source, ...images];
  const record = {
    slug,
    title: meta?.title ?? slug,
    date: meta?.date ?? null,
    paper: page.paper,
    profile: page.profile,
    // Run in the folder the embedded files are saved into.
    rebuild: `letterpress build ${source.name} --pdfa${layout.folders ? ` --assets ${layout.folders.assets}` : ''} --paper ${page.paper} --profile ${page.profile}`,
    letterpressVersion,
    chromiumVersion: browserVersion,
    fonts: [...new Set(bundledFaces.map((f) => f.source))],
    sourceDateEpoch: sourceDateEpoch === undefined ? null : String(sourceDateEpoch),
    files: Object.fromEntries(sources.map((f) => [f.name, { sha256: createHash('sha256').update(f.data).digest('hex'), bytes: f.data.length }])),
  };
  return [
    ...sources,
    {
      name: buildRecordName,
      data: Buffer.from(`${JSON.stringify(record, null, 2)}\n`, 'utf8'),
      mime: 'application/json',
      relationship: 'Data',
      description: 'how this PDF was built: toolchain, page setup, SHA-256 of each embedded source file',
    },
  ];
}
