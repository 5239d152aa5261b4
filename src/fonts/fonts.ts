import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeAtomic } from '../write/write-atomic.ts';
import { cacheDir } from '../common/cache-dir.ts';
import { type CodePoints, readCodePoints, readPostScriptName } from './font-tables.ts';
import { elementText } from './element-text.ts';
import { hasMath, mathText } from './math-markup.ts';
import { cutInWorker, holdingSubsetter, inBackground } from './subset-worker.ts';

const require = createRequire(import.meta.url);

export interface FontFace {
  /** The CSS font-family the face is declared under. */
  family: string;
  weight: 400 | 700;
  style: 'normal' | 'italic';
  /** Resolved path of the TrueType file inside node_modules. */
  file: string;
  /** `name@version` of the npm package the file comes from. */
  source: string;
  /** Code points the face is used for (CSS unicode-range), as [first, last] ranges; all of its own when absent. */
  range?: readonly (readonly [number, number])[];
  /**
   * What the face draws, and so which characters of a document its subset gets:
   * `text` all it can (the CJK faces); `code` and `english` likewise, but only in
   * a document with code or English runs; `fallback` only what the CJK faces lack;
   * `math` the characters of KaTeX's markup.
   */
  role: 'text' | 'code' | 'code-cjk' | 'english' | 'fallback' | 'math';
  /** CSS size-adjust, as a factor. */
  sizeAdjust?: number;
}

type Options = Pick<FontFace, 'style' | 'range' | 'sizeAdjust'>;

function face(role: FontFace['role'], family: string, weight: FontFace['weight'], pkg: string, file: string, options: Partial<Options> = {}): FontFace {
  const { version } = require(`${pkg}/package.json`) as { version: string };
  return { role, family, weight, style: 'normal', ...options, file: require.resolve(`${pkg}/${file}`), source: `${pkg}@${version}` };
}

/**
 * Quotation marks, apostrophes, dashes and the ellipsis: the CJK faces draw
 * them a full em wide, as Chinese text wants; inside English they come from
 * the Latin companion face, proportional.
 */
const latinMarks = [
  [0x2013, 0x2014],
  [0x2018, 0x201f],
  [0x2026, 0x2026],
] as const;

/**
 * Dingbats (✓ ✗ ✔ ✘ ❶ …) come from the symbol faces as one set: the CJK faces'
 * ✓ looks like a root sign beside Symbols 2's ✗. (Excluded by range rather than
 * by a symbol family first in the stacks, whose metrics would set every line.)
 */
const notDingbats = [
  [0x0, 0x26ff],
  [0x27c0, 0x10ffff],
] as const;

/** Han, kana, hangul, CJK and full-width punctuation: the characters a monospace font draws two columns wide. */
const cjkWide = [
  [0x2e80, 0x9fff],
  [0xac00, 0xd7af],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x20000, 0x3ffff],
] as const;

const fonts = '@expo-google-fonts';

/** KaTeX's faces, as its stylesheet declares them (family, weight, style, file). */
function katexFaces(): FontFace[] {
  const css = readFileSync(require.resolve('katex/dist/katex.min.css'), 'utf8');
  return [...css.matchAll(/@font-face\s*{([^}]*)}/g)].map(([, rule = '']) => {
    const family = /font-family:\s*"?([\w-]+)/.exec(rule)?.[1];
    const file = /url\(fonts\/([\w-]+)\.ttf\)/.exec(rule)?.[1];
    if (!family || !file) throw new Error(`katex.css: unexpected @font-face rule ${rule}`);
    const weight = /font-weight:\s*(bold|700)/.test(rule) ? 700 : 400;
    return face('math', family, weight, 'katex', `dist/fonts/${file}.ttf`, { style: /font-style:\s*italic/.test(rule) ? 'italic' : 'normal' });
  });
}

/**
 * The only fonts a letter may use. Full TrueType-outline (glyf) files, since
 * Chromium's PDF backend embeds CFF fonts as Type 3, which printers reject.
 */
export const bundledFaces: readonly FontFace[] = [
  face('text', 'Noto Serif SC', 400, `${fonts}/noto-serif-sc`, '400Regular/NotoSerifSC_400Regular.ttf', { range: notDingbats }),
  face('text', 'Noto Serif SC', 700, `${fonts}/noto-serif-sc`, '700Bold/NotoSerifSC_700Bold.ttf', { range: notDingbats }),
  face('text', 'Noto Sans SC', 400, `${fonts}/noto-sans-sc`, '400Regular/NotoSansSC_400Regular.ttf', { range: notDingbats }),
  face('text', 'Noto Sans SC', 700, `${fonts}/noto-sans-sc`, '700Bold/NotoSansSC_700Bold.ttf', { range: notDingbats }),
  // English inside Chinese: roman faces only for the marks, the italics (Latin emphasis) whole.
  face('english', 'Noto Serif', 400, `${fonts}/noto-serif`, '400Regular/NotoSerif_400Regular.ttf', { range: latinMarks }),
  face('english', 'Noto Serif', 700, `${fonts}/noto-serif`, '700Bold/NotoSerif_700Bold.ttf', { range: latinMarks }),
  face('english', 'Noto Serif', 400, `${fonts}/noto-serif`, '400Regular_Italic/NotoSerif_400Regular_Italic.ttf', { style: 'italic' }),
  face('english', 'Noto Serif', 700, `${fonts}/noto-serif`, '700Bold_Italic/NotoSerif_700Bold_Italic.ttf', { style: 'italic' }),
  face('english', 'Noto Sans', 400, `${fonts}/noto-sans`, '400Regular/NotoSans_400Regular.ttf', { range: latinMarks }),
  face('english', 'Noto Sans', 700, `${fonts}/noto-sans`, '700Bold/NotoSans_700Bold.ttf', { range: latinMarks }),
  face('code', 'Noto Sans Mono', 400, `${fonts}/noto-sans-mono`, '400Regular/NotoSansMono_400Regular.ttf'),
  face('code', 'Noto Sans Mono', 700, `${fonts}/noto-sans-mono`, '700Bold/NotoSansMono_700Bold.ttf'),
  // Chinese in code exactly two columns wide (Noto Sans Mono's advance is 0.6 em): Noto Sans SC at 120 %.
  face('code-cjk', 'Noto Sans SC Code', 400, `${fonts}/noto-sans-sc`, '400Regular/NotoSansSC_400Regular.ttf', { range: cjkWide, sizeAdjust: 1.2 }),
  face('fallback', 'Noto Sans Symbols', 400, `${fonts}/noto-sans-symbols`, '400Regular/NotoSansSymbols_400Regular.ttf'),
  face('fallback', 'Noto Sans Symbols 2', 400, `${fonts}/noto-sans-symbols-2`, '400Regular/NotoSansSymbols2_400Regular.ttf'),
  face('fallback', 'Noto Emoji', 400, `${fonts}/noto-emoji`, '400Regular/NotoEmoji_400Regular.ttf'),
  ...katexFaces(),
];

/** Symbols of reports (✓ ★ → ✅ …) that the CJK faces lack: the last resort of every stack. */
const symbolFamilies = ['Noto Sans Symbols 2', 'Noto Sans Symbols', 'Noto Emoji'];

/** The font stacks of the stylesheet (`var(--serif)` …): text, headings, code. Each character of a letter must be in one face of each. */
export const fontStacks = {
  serif: ['Noto Serif SC', ...symbolFamilies],
  sans: ['Noto Sans SC', ...symbolFamilies],
  mono: ['Noto Sans Mono', 'Noto Sans SC Code', 'Noto Sans SC', ...symbolFamilies],
} as const;

/** The stacks as CSS custom properties, declared with the font faces so the stylesheet and the coverage check agree. */
const stackCss = `:root { ${Object.entries(fontStacks)
  .map(([name, families]) => `--${name}: ${families.map((f) => `"${f}"`).join(', ')};`)
  .join(' ')} }`;

const faceCodePoints = new Map<FontFace, Promise<CodePoints>>();

/** The code points one face draws (within its unicode-range, if it has one). */
export function codePointsOf(f: FontFace): Promise<CodePoints> {
  let points = faceCodePoints.get(f);
  if (!points) {
    points = readCodePoints(f.file).then((all) => (f.range ? all.within(f.range) : all));
    faceCodePoints.set(f, points);
  }
  return points;
}

/** Whether a code point can be drawn: asked of the few hundred characters of a letter, not computed for all. */
export interface Coverage {
  has(code: number): boolean;
}

let coverage: Promise<Coverage> | undefined;

/**
 * The code points that every font stack can draw: each stack has a family
 * whose faces (all weights) hold it. A character outside would fall back to a
 * system font or a blank box.
 */
export function bundledCoverage(): Promise<Coverage> {
  coverage ??= (async () => {
    const stacks = await Promise.all(
      Object.values(fontStacks).map((families) =>
        Promise.all(families.map((family) => Promise.all(bundledFaces.filter((f) => f.family === family).map(codePointsOf)))),
      ),
    );
    const known = new Map<number, boolean>();
    return {
      has(code: number): boolean {
        let drawn = known.get(code);
        if (drawn === undefined) {
          drawn = stacks.every((families) => families.some((faces) => faces.length > 0 && faces.every((points) => points.has(code))));
          known.set(code, drawn);
        }
        return drawn;
      },
    };
  })();
  return coverage;
}

let postScriptNames: Set<string> | undefined;

/** PostScript names of the bundled faces, as Chromium names their subsets in a PDF (`ABCDEF+NotoSerifSC-Regular`). */
export function bundledPostScriptNames(): ReadonlySet<string> {
  postScriptNames ??= new Set(bundledFaces.map((f) => readPostScriptName(f.file)));
  return postScriptNames;
}

/** One face's subset, as WOFF: the one to print, and the one the files carry (the same bytes when it was kept). */
interface Subset {
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
function subsetOnce(face: FontFace, text: string): Promise<Subset> {
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

function rule(f: FontFace, font: Buffer): string {
  return `@font-face { font-family: "${f.family}"; font-weight: ${f.weight}; font-style: ${f.style}; font-display: block;${unicodeRange(f)}${f.sizeAdjust ? ` size-adjust: ${f.sizeAdjust * 100}%;` : ''} src: url(data:font/woff;base64,${font.toString('base64')}) format("woff"); }`;
}

/**
 * Each face's rule for a subset to print, written once: its base64 is most of
 * a document's bytes, and the preview renders the letter on every save. (By
 * face and subset: two faces can share a font file, and so a subset.)
 */
const printRules = new Map<FontFace, WeakMap<Subset, string>>();

function printRule(f: FontFace, subset: Subset): string {
  let ofFace = printRules.get(f);
  if (!ofFace) {
    ofFace = new WeakMap();
    printRules.set(f, ofFace);
  }
  let written = ofFace.get(subset);
  if (written === undefined) {
    written = rule(f, subset.print);
    ofFace.set(subset, written);
  }
  return written;
}

/** The `unicode-range` descriptor of a face that is used for some code points only. */
function unicodeRange(f: FontFace): string {
  if (!f.range) return '';
  const hex = (c: number): string => c.toString(16).toUpperCase();
  return ` unicode-range: ${f.range.map(([first, last]) => (first === last ? `U+${hex(first)}` : `U+${hex(first)}-${hex(last)}`)).join(', ')};`;
}

/**
 * A document's font rules: the font stacks, then one `@font-face` rule per
 * face, each to print as soon as its subset is cut (Chromium loads a face
 * while the next is cut); and all of them as the files carry them.
 */
export interface FontRules {
  print: Promise<string>[];
  file(): Promise<string>;
}

/**
 * `@font-face` rules with the subset fonts inlined, so the HTML stands alone
 * wherever it is copied, and the font stacks. A face gets the characters of
 * `text` it can draw and is there to draw (its role), and no rule when that
 * leaves none.
 */
export function fontRules(text: string, alphabet = ''): Promise<FontRules> {
  return holdingSubsetter(() => fontFaceRules(text, alphabet));
}

/** The rules for the files. */
export async function fontFaceCss(text: string, alphabet = ''): Promise<string> {
  return (await fontRules(text, alphabet)).file();
}

async function fontFaceRules(text: string, alphabet: string): Promise<FontRules> {
  // The document is long, its alphabet short: reduce it once, not once per face.
  const chars = [...new Set(text)];
  const textChars = [...new Set(text + alphabet)];
  const textFaces = await Promise.all(bundledFaces.filter((f) => f.role === 'text').map(codePointsOf));
  const wanted: Record<FontFace['role'], string[]> = {
    text: textChars,
    code: text.includes('<code') ? chars : [],
    'code-cjk': [...new Set(elementText(text, 'code'))],
    // The markup the pipeline writes (the stylesheet inside `text` names the same things differently).
    english: text.includes('<span lang="en">') || text.includes('<em class="latin">') ? chars : [],
    fallback: chars.filter((c) => !textFaces.every((points) => points.has(c.codePointAt(0) ?? 0))),
    math: hasMath(text) ? [...new Set(mathText(text))] : [],
  };
  // All asked for at once: the worker cuts them one by one (HarfBuzz's heap grows to the largest set of fonts it holds at once), and no cut waits for another's WOFF.
  const faces = (
    await Promise.all(
      bundledFaces.map(async (f) => {
        const points = await codePointsOf(f);
        const own = wanted[f.role].filter((c) => points.has(c.codePointAt(0) ?? 0)).join('');
        return own ? [{ face: f, subset: subsetOnce(f, own) }] : [];
      }),
    )
  ).flat();
  const printed = faces.map(({ face: f, subset }) => holdingSubsetter(async () => printRule(f, await subset)));
  // A failed cut is met by whoever waits for the rules (the files' rules alone, for a build without a browser).
  for (const p of printed) p.catch(() => undefined);
  return {
    print: [Promise.resolve(stackCss), ...printed],
    async file() {
      const written = await holdingSubsetter(() =>
        Promise.all(
          faces.map(async ({ face: f, subset }, i) => {
            const { print, file } = await subset;
            const data = await file;
            return data === print ? printed[i] : rule(f, data);
          }),
        ),
      );
      return [stackCss, ...written].join('\n');
    },
  };
}
