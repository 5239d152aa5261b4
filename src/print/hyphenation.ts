import { hyphenateSync } from 'hyphen/en-us';

/**
 * Where English words may be hyphenated, from the TeX patterns of the
 * `hyphen` package: each word with the offsets a line may break at (with a
 * hyphen), two letters at least before it and three after. Only words of six
 * lowercase letters or more, standing alone: no name, acronym,
 * number or identifier is ever hyphenated.
 */
export function hyphenationPoints(text: string): [string, number[]][] {
  const words = new Set(text.match(/(?<![\p{L}\p{N}\-./@_])[a-z]{6,}(?![\p{L}\p{N}\-/@_])/gu) ?? []);
  const points: [string, number[]][] = [];
  for (const word of words) {
    const offsets: number[] = [];
    let at = 0;
    for (const part of hyphenateSync(word, { hyphenChar: '\u00ad' }).split('\u00ad').slice(0, -1)) offsets.push((at += part.length));
    // Two letters at least before the hyphen and three after it, as TeX sets English.
    offsets.splice(0, offsets.length, ...offsets.filter((offset) => offset >= 2 && word.length - offset >= 3));
    if (offsets.length > 0) points.push([word, offsets]);
  }
  return points;
}
