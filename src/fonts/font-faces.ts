import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readPostScriptName } from './font-tables.ts';

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

let postScriptNames: Set<string> | undefined;

/** PostScript names of the bundled faces, as Chromium names their subsets in a PDF (`ABCDEF+NotoSerifSC-Regular`). */
export function bundledPostScriptNames(): ReadonlySet<string> {
  postScriptNames ??= new Set(bundledFaces.map((f) => readPostScriptName(f.file)));
  return postScriptNames;
}
