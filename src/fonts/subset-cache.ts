import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheDir } from '../common/cache-dir.ts';
import { writeAtomic } from '../write/write-atomic.ts';
import { codePointsOf } from './coverage.ts';
import { type FontFace, bundledFaces } from './font-faces.ts';
import { cutInWorker, holdingSubsetter, inBackground } from './subset-worker.ts';

/** One face's subset, as WOFF: the one to print, and the one the files carry (the same bytes when it was kept). */
export interface Subset {
  print: Buffer;
  file: Promise<Buffer>;
}

/**
 * A subset of `face` holding just `text`'s characters. WOFF (zlib: ten times
 * faster to make than WOFF2, a third larger; plain TrueType would save the
 * compressing but cost Chromium more to load than it saves). The files'
 * WOFF is kept, by content, inside node_modules/.cache (the output is
 * deterministic, so a cache hit is byte-identical); a subset cut now is
 * printed before it is made (see subset-worker.ts).
 */
export function subsetOnce(face: FontFace, text: string): Promise<Subset> {
  const chars = [...new Set(text)].sort().join('');
  const key = createHash('sha256').update(`${face.source}\0${face.file}\0${chars}`).digest('hex').slice(0, 32);
  let subset = subsets.get(key);
  if (!subset) {
    subset = cutSubset(face, chars, path.join(cacheDir('fonts'), `${key}.woff`));
    subsets.set(key, subset);
    // A failure is met by whoever waits for it, and not kept for the next one.
    const forget = (): void => void subsets.delete(key);
    subset.then(({ file }) => file.catch(forget), forget);
  }
  return subset;
}

/** A WOFF subset of `face` holding just `text`'s characters, as the files carry it. */
export function subsetFace(face: FontFace, text: string): Promise<Buffer> {
  return holdingSubsetter(async () => (await subsetOnce(face, text)).file);
}

/** Subsets already cut in this process: a build renders each letter's HTML twice (before and after its TOC is numbered). */
const subsets = new Map<string, Promise<Subset>>();

async function cutSubset(face: FontFace, chars: string, cached: string): Promise<Subset> {
  const kept = await readFile(cached).catch(() => undefined);
  if (kept) return { print: kept, file: Promise.resolve(kept) };
  const cut = cutInWorker(face.file, chars);
  const file = cut.file.then(async (data) => {
    await mkdir(path.dirname(cached), { recursive: true });
    await writeAtomic(cached, data);
    return data;
  });
  return { print: await cut.print, file };
}

/**
 * Cuts the text faces' subsets for `alphabet` (render-document's
 * letterAlphabet) in the background while the Markdown stage runs: a first
 * build of a letter cuts them all, and the HTML stage then finds them made
 * (or being made). Kept subsets are only read; a failure here is left for
 * the HTML stage to meet and report.
 */
export function prepareFonts(alphabet: string): void {
  const chars = [...new Set(alphabet)];
  void inBackground(() =>
    Promise.all(
      bundledFaces
        .filter((face) => face.role === 'text')
        .map(async (f) => {
          const points = await codePointsOf(f);
          await subsetOnce(f, chars.filter((c) => points.has(c.codePointAt(0) ?? 0)).join(''));
        }),
    ),
  ).catch(() => undefined);
}
