export type Paper = 'a4' | 'letter';
/** `pdf`: the letter read on screen or printed at home; `print`: for the printer, duplex with mirrored margins. */
export type Profile = 'pdf' | 'print';

/** The page options that change a letter's bytes besides its source. */
export interface PageSetup {
  paper: Paper;
  profile: Profile;
}
