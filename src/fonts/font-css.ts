import { codePointsOf } from './coverage.ts';
import { elementText } from './element-text.ts';
import { type FontFace, bundledFaces, fontStacks } from './font-faces.ts';
import { hasMath, mathText } from './math-markup.ts';
import { type Subset, subsetOnce } from './subset-cache.ts';
import { holdingSubsetter } from './subset-worker.ts';

/** The stacks as CSS custom properties, declared with the font faces so the stylesheet and the coverage check agree. */
const stackCss = `:root { ${Object.entries(fontStacks)
  .map(([name, families]) => `--${name}: ${families.map((f) => `"${f}"`).join(', ')};`)
  .join(' ')} }`;

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
