import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Image, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { LetterAsset } from './vfile-data.ts';

export const mediaTypes: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};

/**
 * Images must be files beside the letter (in its folder or below): the PDF
 * must not depend on the network, and a letter must not read files elsewhere.
 * Each image is inlined as a data: URL, so the HTML stands alone, and listed
 * in `file.data.assets` for the archive. A missing or outside image is an
 * error at the image's line.
 */
export function remarkLocalImages() {
  return async (tree: Root, file: VFile): Promise<void> => {
    const images: Image[] = [];
    visit(tree, 'image', (node) => {
      images.push(node);
    });
    const base = path.resolve(file.cwd, file.dirname ?? '.');
    const assets: LetterAsset[] = [];
    for (const node of images) {
      const fail = (reason: string): void => {
        const message = file.message(reason, { place: node.position, ruleId: 'image', source: 'letterpress' });
        message.fatal = true;
      };
      if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(node.url)) {
        fail(`image \`${node.url}\` is not a local file: letters may only use images from their own folder`);
        continue;
      }
      const relative = decodeURIComponent(node.url.split(/[?#]/)[0] ?? '');
      const absolute = path.resolve(base, relative);
      if (path.relative(base, absolute).startsWith('..') || path.isAbsolute(relative)) {
        fail(`image \`${node.url}\` is outside the letter's folder`);
        continue;
      }
      const type = mediaTypes[path.extname(absolute).toLowerCase()];
      if (!type) {
        fail(`image \`${node.url}\` is not a PNG, JPEG, GIF, WebP or SVG file`);
        continue;
      }
      let data: Buffer;
      try {
        data = await readFile(absolute);
      } catch {
        fail(`image \`${node.url}\` not found (looked for ${path.relative(file.cwd, absolute)})`);
        continue;
      }
      assets.push({ path: path.relative(file.cwd, absolute), sha256: createHash('sha256').update(data).digest('hex') });
      node.url = `data:${type};base64,${data.toString('base64')}`;
    }
    file.data.assets = assets;
  };
}
