import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import subsetFont from 'subset-font';
import { writeAtomic } from '../write/write-atomic.ts';
import { cacheDir } from '../cache-dir.ts';
import { readCodePoints } from './font-cmap.ts';

const require = createRequire(import.meta.url);

export interface FontFace {
  family: 'Noto Serif SC' | 'Noto Sans SC';
  weight: 400 | 700;
  /** Resolved path of the TrueType file inside node_modules. */
  file: string;
  /** `name@version` of the npm package the file comes from. */
  source: string;
}

function face(family: FontFace['family'], weight: FontFace['weight'], pkg: string, file: string): FontFace {
  const { version } = require(`${pkg}/package.json`) as { version: string };
  return { family, weight, file: require.resolve(`${pkg}/${file}`), source: `${pkg}@${version}` };
}

/**
 * The only fonts a letter may use. Full TrueType-outline (glyf) files, since
 * Chromium's PDF backend embeds CFF fonts as Type 3, which printers reject.
 */
export const bundledFaces: readonly FontFace[] = [
  face('Noto Serif SC', 400, '@expo-google-fonts/noto-serif-sc', '400Regular/NotoSerifSC_400Regular.ttf'),
  face('Noto Serif SC', 700, '@expo-google-fonts/noto-serif-sc', '700Bold/NotoSerifSC_700Bold.ttf'),
  face('Noto Sans SC', 400, '@expo-google-fonts/noto-sans-sc', '400Regular/NotoSansSC_400Regular.ttf'),
  face('Noto Sans SC', 700, '@expo-google-fonts/noto-sans-sc', '700Bold/NotoSansSC_700Bold.ttf'),
];

let coverage: Promise<Set<number>> | undefined;

/** Code points that every bundled face can draw: a character outside it would fall back to a system font or a blank box. */
export function bundledCoverage(): Promise<Set<number>> {
  coverage ??= Promise.all(bundledFaces.map((f) => readCodePoints(f.file))).then((sets) => {
    const [first, ...rest] = sets;
    return new Set([...(first ?? [])].filter((c) => rest.every((s) => s.has(c))));
  });
  return coverage;
}


/**
 * A subset of `face` holding just `text`'s characters, as WOFF (zlib: ten
 * times faster to make than WOFF2, a third larger). Results are cached by
 * content inside node_modules/.cache (the output is deterministic, so a cache
 * hit is byte-identical).
 */
export function subsetFace(face: FontFace, text: string): Promise<Buffer> {
  const chars = [...new Set(text)].sort().join('');
  const key = createHash('sha256').update(`${face.source}\0${face.file}\0${chars}`).digest('hex').slice(0, 32);
  let subset = subsets.get(key);
  if (!subset) {
    subset = cutSubset(face, chars, path.join(cacheDir('fonts'), `${key}.woff`));
    subsets.set(key, subset);
  }
  return subset;
}

/** Subsets already cut in this process: a build renders each letter's HTML twice (before and after its TOC is numbered). */
const subsets = new Map<string, Promise<Buffer>>();

async function cutSubset(face: FontFace, chars: string, cached: string): Promise<Buffer> {
  try {
    return await readFile(cached);
  } catch {
    const subset = await subsetFont(await readFile(face.file), chars, { targetFormat: 'woff' });
    await mkdir(path.dirname(cached), { recursive: true });
    await writeAtomic(cached, subset);
    return subset;
  }
}

/** `@font-face` rules with the subset fonts inlined, so the HTML stands alone wherever it is copied. */
export async function fontFaceCss(text: string): Promise<string> {
  // The document is long, its alphabet short: reduce it once, not once per face.
  const chars = [...new Set(text)].join('');
  const rules = await Promise.all(
    bundledFaces.map(async (f) => {
      const data = (await subsetFace(f, chars)).toString('base64');
      return `@font-face { font-family: "${f.family}"; font-weight: ${f.weight}; font-style: normal; font-display: block; src: url(data:font/woff;base64,${data}) format("woff"); }`;
    }),
  );
  return rules.join('\n');
}
