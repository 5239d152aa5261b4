import type { FrontMatter } from '../config/front-matter-schema.ts';
import type { HouseStyle } from '../config/house-style-schema.ts';

/** A heading of the letter body, as the TOC and the PDF outline need it. */
export interface HeadingEntry {
  depth: number;
  id: string;
  text: string;
  /** The body's opening heading that repeats the letter's title (remark-title-heading.ts): the TOC and the bookmarks leave it out. */
  repeatsTitle?: boolean;
}

/** A file the letter uses besides its Markdown (an image), as the archive keeps it. */
export interface LetterAsset {
  /** Relative to the working directory. */
  path: string;
  sha256: string;
}

/** A piece of the letter's visible text and where it starts in the source. */
export interface SourceText {
  value: string;
  line: number;
  column: number;
}

declare module 'vfile' {
  interface DataMap {
    frontMatter: FrontMatter;
    headings: HeadingEntry[];
    assets: LetterAsset[];
    visibleText: SourceText[];
    /** Where the heading that repeats the title starts, if the body opens with one. */
    titleHeading: { line: number; column: number };
    /** The project's house style, when it has one: its defaults fill in what the front matter leaves out. */
    house: HouseStyle;
  }
}
