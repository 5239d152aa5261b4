import { type FontFace, bundledFaces, fontStacks } from './font-faces.ts';
import { type CodePoints, readCodePoints } from './font-tables.ts';

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
