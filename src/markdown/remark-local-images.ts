import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Definition, Image, Parent, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { decodeDataUrl } from '../load/data-url.ts';
import { imageProblem, imageTypes } from '../load/image-type.ts';
import { isInside } from '../load/is-inside.ts';
import { quoteHead } from '../load/quote.ts';
import { readImage, type AllowedFolder } from '../load/read-image.ts';
import type { LetterAsset } from './vfile-data.ts';

const allowedTypes = new Set(Object.values(imageTypes));
const typeList = 'a PNG, JPEG, GIF, WebP or SVG image';

/**
 * Images are files in the letter's folder (or below) or in the project's
 * assets folder (`<cwd>/assets`, or `--assets DIR`), or `data:` URLs: the PDF
 * must not depend on the network, and a letter must not read files elsewhere,
 * through a symbolic link neither. Every image is checked to be what its name
 * or media type says (and an SVG to hold nothing that runs or fetches) before
 * it is inlined as a data: URL, so the HTML stands alone; image files are
 * listed in `file.data.assets` for a PDF/A and the archive. Each refusal is an error at the image,
 * and the image is left out.
 */
export function remarkLocalImages() {
  return async (tree: Root, file: VFile): Promise<void> => {
    resolveImageReferences(tree);
    const images: Image[] = [];
    visit(tree, 'image', (node) => {
      images.push(node);
    });
    const loader = await imageLoader(file);
    const refused = new Set<Image>();
    for (const node of images) {
      const loaded = await loader.load(node.url);
      if (typeof loaded === 'string') node.url = loaded;
      else {
        refused.add(node);
        const message = file.message(`image \`${quoteHead(node.url)}\` ${loaded.problem}`, { place: node.position, ruleId: 'image', source: 'letterpress' });
        message.fatal = true;
      }
    }
    file.data.assets = loader.assets;
    // A refused image leaves nothing behind: its URL must not reach the HTML.
    visit(tree, 'image', (node, index, parent) => {
      if (!refused.has(node) || !parent || index === undefined) return;
      parent.children.splice(index, 1);
      return index;
    });
  };
}

/** Reads the images of one letter under the rules above: `load` gives an image's data: URL, or why it is refused. */
export interface ImageLoader {
  load(url: string): Promise<string | { problem: string }>;
  /** The files beside the letter read so far. */
  assets: LetterAsset[];
}

/** The image loader of `file`'s letter (Markdown images and the `<img>` of its HTML share it). */
export async function imageLoader(file: VFile): Promise<ImageLoader> {
  const letterDir = path.resolve(file.cwd, file.dirname ?? '.');
  const assetsDir = file.data.assetsDir ?? path.join(file.cwd, 'assets');
  const roots = await allowedRoots(file.cwd, letterDir, assetsDir);
  const assets: LetterAsset[] = [];
  const load = async (url: string): Promise<string | { problem: string }> => {
    const fail = (problem: string) => ({ problem });
    if (/^data:/i.test(url)) {
      const data = decodeDataUrl(url);
      if ('problem' in data) return fail(data.problem);
      if (!allowedTypes.has(data.type)) return fail(`is of type \`${quoteHead(data.type)}\`, not ${typeList}`);
      const problem = imageProblem(data.type, data.bytes);
      return problem ? fail(problem) : `data:${data.type};base64,${data.bytes.toString('base64')}`;
    }
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) return fail("is not a local file: use a file in the letter's folder or the assets folder, or a data: URL");
    let relative: string;
    try {
      relative = decodeURIComponent(url.split(/[?#]/)[0] ?? '');
    } catch {
      return fail('has a malformed percent escape (such as %zz): write the file name as it is, or %25 for a “%”');
    }
    const absolute = path.resolve(letterDir, relative);
    if (path.isAbsolute(relative) || !roots.some((root) => isInside(root.given, absolute))) return fail("is outside the letter's folder and the assets folder");
    const type = imageTypes[path.extname(absolute).toLowerCase()];
    if (!type) return fail(`is not ${typeList} (by its name)`);
    const read = await readImage(absolute, roots);
    if (typeof read === 'string') return fail(read === 'missing' ? `not found (looked for ${quoteHead(path.relative(file.cwd, absolute))})` : read);
    const problem = imageProblem(type, read);
    if (problem) return fail(problem);
    // Every image the letter shows, from its folder or the assets folder: a PDF/A and the archive keep them all (see kept-layout.ts).
    assets.push({ path: path.relative(file.cwd, absolute), sha256: createHash('sha256').update(read).digest('hex') });
    return `data:${type};base64,${read.toString('base64')}`;
  };
  return { load, assets };
}

/** The letter's folder, and the assets folder when its real path lies inside the project. */
async function allowedRoots(cwd: string, letterDir: string, assetsDir: string): Promise<AllowedFolder[]> {
  const real = (p: string): Promise<string | undefined> => realpath(p).catch(() => undefined);
  const project = await real(cwd);
  const assetsReal = await real(assetsDir);
  return [
    { given: letterDir, real: await real(letterDir) },
    { given: assetsDir, real: project && assetsReal && isInside(project, assetsReal) ? assetsReal : undefined },
  ];
}

/** `![alt][ref]` becomes the image its definition names, so it is checked like any other. */
function resolveImageReferences(tree: Root): void {
  const definitions = new Map<string, Definition>();
  visit(tree, 'definition', (node) => {
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, node);
  });
  visit(tree, 'imageReference', (node, index, parent: Parent | undefined) => {
    const definition = definitions.get(node.identifier);
    if (!definition || !parent || index === undefined) return;
    const image: Image = { type: 'image', url: definition.url, title: definition.title, alt: node.alt, position: node.position };
    parent.children[index] = image;
  });
}
