/** Character classes shared by the rules (source strings for RegExps with the `u` flag). */
export const han = '\\p{Script=Han}';

/** Chinese (full-width) punctuation that never follows a space. */
export const closingOrPausePunctuation = '，。、；：？！）》」』】”';

/** Half-width punctuation → the full-width form used in Chinese text. */
export const fullWidthOf: Readonly<Record<string, string>> = {
  ',': '，',
  ';': '；',
  ':': '：',
  '?': '？',
  '!': '！',
  '(': '（',
  ')': '）',
};

export const hanPattern = new RegExp(han, 'u');

export function isHan(char: string | undefined): boolean {
  return char !== undefined && hanPattern.test(char);
}
