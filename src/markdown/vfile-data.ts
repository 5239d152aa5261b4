import type { FrontMatter } from '../config/front-matter-schema.ts';

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
  }
}
