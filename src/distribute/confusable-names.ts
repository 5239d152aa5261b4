/**
 * Names that a reader cannot tell apart on paper. A leaked printout is traced
 * by the name stamped on it, so two recipients whose names look alike must not
 * both be on a list.
 *
 * No Unicode confusables table (TR39's confusables.txt, 6,000+ mappings) ships
 * with the project's dependencies, so the check is in two parts:
 *
 * 1. A name may not mix scripts within itself beyond what TR39's "Highly
 *    Restrictive" profile allows (one script, or Latin with Han and the
 *    Japanese kana, Latin with Han and Bopomofo, Latin with Han and Hangul).
 *    This refuses `Аlice` (a Cyrillic А among Latin letters), the usual way a
 *    look-alike is made.
 * 2. Two names collide when their skeletons are equal: NFKC, the handful of
 *    capital letters TR39 maps to a lowercase prototype (`I` → `l`), case
 *    folded, then a subset of TR39's prototypes: Cyrillic and Greek letters
 *    that look like Latin ones, digits that look like letters, `rn` → `m`, and
 *    the dashes, apostrophes and spaces that print alike.
 *
 * What this does not catch: look-alikes within Han (己 已 巳, 土 士) and the rest
 * of confusables.txt. Those copies still differ to the eye: each stamp also
 * prints the recipient's id.
 */

/** Scripts a name may combine (TR39 5.2, Highly Restrictive); any single script is allowed too. */
const allowedMixes: ReadonlySet<string>[] = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

/** The scripts a name's letters are told apart by; Common and Inherited characters (digits, spaces, marks) belong to none. */
const scripts: [string, RegExp][] = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Hebrew', 'Arabic', 'Han', 'Hiragana', 'Katakana', 'Bopomofo', 'Hangul', 'Thai', 'Devanagari', 'Georgian', 'Cherokee'].map(
  (script) => [script, new RegExp(`\\p{Script=${script}}`, 'u')],
);

/** The scripts of a name's letters, in the order the table lists them; `Other` for a letter of any other script. */
export function scriptsOf(name: string): string[] {
  const found = new Set<string>();
  for (const char of name) {
    if (!/\p{L}/u.test(char)) continue;
    found.add(scripts.find(([, pattern]) => pattern.test(char))?.[0] ?? 'Other');
  }
  return [...found];
}

/** Why a name mixes scripts that may not be mixed, or undefined when it does not. */
export function mixedScripts(name: string): string | undefined {
  const found = scriptsOf(name);
  if (found.length <= 1 || allowedMixes.some((mix) => found.every((s) => mix.has(s)))) return undefined;
  return `name mixes ${found.join(' and ')} letters, which can look alike (\`${name}\`); write it in one script`;
}

/** Capitals TR39 maps to a lowercase prototype: mapped before case folding would make them something else. */
const beforeFolding: Record<string, string> = { I: 'l', '|': 'l', '1': 'l', '0': 'o' };

/** TR39 prototypes for lowercase look-alikes (and capitals' lowercase forms), Latin on the right. */
const prototypes: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', һ: 'h', н: 'h', і: 'i', ј: 'j', к: 'k', ӏ: 'l', м: 'm', о: 'o', р: 'p', ԛ: 'q', с: 'c', ѕ: 's', т: 't', у: 'y', ԝ: 'w', х: 'x', ԁ: 'd', ү: 'y', ɡ: 'g',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', μ: 'm', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ζ: 'z',
  // Punctuation that prints alike
  '’': "'", '‘': "'", 'ʼ': "'", '`': "'", '´': "'", '‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '−': '-',
};

/** Sequences TR39 maps to one letter. */
const sequences: [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
];

/** The name as a reader sees it: equal skeletons are names nobody can tell apart on a printout. */
export function skeleton(name: string): string {
  const nfkc = name.normalize('NFKC');
  const mapped = [...nfkc].map((c) => beforeFolding[c] ?? c).join('').toLowerCase().normalize('NFD');
  // Accents are kept (Seán and Sean differ to the eye); only the base letters are mapped.
  let text = [...mapped].map((c) => prototypes[c] ?? c).join('').normalize('NFC');
  for (const [pattern, letter] of sequences) text = text.replace(pattern, letter);
  return text.replace(/\s+/gu, ' ').trim();
}

/** The skeletons of a name as written and in lower case: names alike in either are alike on paper (`ALICE`, `Alice`). */
export function lookAlikeKeys(name: string): string[] {
  return [...new Set([skeleton(name), skeleton(name.normalize('NFKC').toLowerCase())])];
}
