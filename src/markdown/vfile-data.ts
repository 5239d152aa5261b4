import type { FrontMatter } from '../config/front-matter-schema.ts';
import type { HouseStyle } from '../config/house-style-schema.ts';

/** A heading of the letter body, as the TOC and the PDF outline need it. */
export interface HeadingEntry {
  depth: number;
  id: string;
  text: string;
}

/** A file the letter uses besides its Markdown (an image), as the archive keeps it. */
export interface LetterAsset {
  /** Relative to the working directory. */
  path: string;
  sha256: string;
}

declare module 'vfile' {
  interface DataMap {
    frontMatter: FrontMatter;
    headings: HeadingEntry[];
    assets: LetterAsset[];
    /** The project's house style, when it has one: its defaults fill in what the front matter leaves out. */
    house: HouseStyle;
  }
}
