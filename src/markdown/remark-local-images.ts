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
 * it is inlined as a data: URL, so the HTML stands alone; files beside the
 * letter are listed in `file.data.assets` for the archive. Each refusal is an error at the image,
 * and the image is left out.
 */
export function remarkLocalImages() {
  return async (tree: Root, file: VFile): Promise<void> => {
    resolveImageReferences(tree);
    const images: Image[] = [];
    visit(tree, 'image', (node) => {
      images.push(node);
    });
    const letterDir = path.resolve(file.cwd, file.dirname ?? '.');
    const assetsDir = file.data.assetsDir ?? path.join(file.cwd, 'assets');
    const roots = await allowedRoots(file.cwd, letterDir, assetsDir);
    const assets: LetterAsset[] = [];
    const refused = new Set<Image>();
    for (const node of images) {
      const shown = `\`${quoteHead(node.url)}\``;
      const fail = (reason: string): void => {
        refused.add(node);
        const message = file.message(`image ${shown} ${reason}`, { place: node.position, ruleId: 'image', source: 'letterpress' });
        message.fatal = true;
      };
      if (/^data:/i.test(node.url)) {
        const data = decodeDataUrl(node.url);
        if ('problem' in data) fail(data.problem);
        else if (!allowedTypes.has(data.type)) fail(`is of type \`${quoteHead(data.type)}\`, not ${typeList}`);
        else {
          const problem = imageProblem(data.type, data.bytes);
          if (problem) fail(problem);
          else node.url = `data:${data.type};base64,${data.bytes.toString('base64')}`;
        }
        continue;
      }
      if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(node.url)) {
        fail("is not a local file: use a file in the letter's folder or the assets folder, or a data: URL");
        continue;
      }
      let relative: string;
      try {
        relative = decodeURIComponent(node.url.split(/[?#]/)[0] ?? '');
      } catch {
        fail('has a malformed percent escape (such as %zz): write the file name as it is, or %25 for a “%”');
        continue;
      }
      const absolute = path.resolve(letterDir, relative);
      if (path.isAbsolute(relative) || !roots.some((root) => isInside(root.given, absolute))) {
        fail("is outside the letter's folder and the assets folder");
        continue;
      }
      const type = imageTypes[path.extname(absolute).toLowerCase()];
      if (!type) {
        fail(`is not ${typeList} (by its name)`);
        continue;
      }
      const read = await readImage(absolute, roots);
      if (typeof read === 'string') {
        fail(read === 'missing' ? `not found (looked for ${quoteHead(path.relative(file.cwd, absolute))})` : read);
        continue;
      }
      const problem = imageProblem(type, read);
      if (problem) {
        fail(problem);
        continue;
      }
      // The archive keeps a letter's images at their paths beside it; one from the shared assets folder has no such path yet, so it is not listed.
      if (isInside(letterDir, absolute)) assets.push({ path: path.relative(file.cwd, absolute), sha256: createHash('sha256').update(read).digest('hex') });
      node.url = `data:${type};base64,${read.toString('base64')}`;
    }
    file.data.assets = assets;
    // A refused image leaves nothing behind: its URL must not reach the HTML.
    visit(tree, 'image', (node, index, parent) => {
      if (!refused.has(node) || !parent || index === undefined) return;
      parent.children.splice(index, 1);
      return index;
    });
  };
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
