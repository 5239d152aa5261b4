export type Paper = 'a4' | 'letter';

const mm = 72 / 25.4;
/** The papers' finished sizes, in points (Chromium's own page is a fraction of a point off, rounded to its pixel grid). */
export const paperSizes: Record<Paper, { width: number; height: number }> = {
  a4: { width: 210 * mm, height: 297 * mm },
  letter: { width: 8.5 * 72, height: 11 * 72 },
};
/** `pdf`: the letter read on screen or printed at home; `print`: for the printer, duplex with mirrored margins. */
export type Profile = 'pdf' | 'print';

/** The page options that change a letter's bytes besides its source. */
export interface PageSetup {
  paper: Paper;
  profile: Profile;
}
