import type { FrontMatter } from '../config/front-matter-schema.ts';

/** A heading of the letter body, as the TOC and the PDF outline need it. */
export interface HeadingEntry {
  depth: number;
  id: string;
  text: string;
}

declare module 'vfile' {
  interface DataMap {
    frontMatter: FrontMatter;
    headings: HeadingEntry[];
  }
}
