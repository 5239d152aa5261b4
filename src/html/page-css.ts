import type { FrontMatter } from '../config/front-matter-schema.ts';
import { defaultHouseStyle, labelLanguage, type HouseStyle } from '../config/house-style-schema.ts';
import type { Paper, PageSetup } from '../config/page-setup.ts';
import { cssString } from './css-string.ts';

const pageSizes: Record<Paper, string> = { a4: 'A4', letter: 'letter' };

/** Running header and footer matter: small grey sans, set in the page margins. */
const box = 'font-family: "Noto Sans SC", sans-serif; font-size: 8pt; color: #5c5c5c;';

/**
 * The page number in the bottom margin, from the house style's label:
 * `第 {n} 页 / 共 {N} 页` becomes `"第 " counter(page) " 页 / 共 " counter(pages) " 页"`.
 */
export function pageFooter(label: string): string {
  return label
    .split(/(\{[nN]\})/)
    .filter((piece) => piece !== '')
    .map((piece) => (piece === '{n}' ? 'counter(page)' : piece === '{N}' ? 'counter(pages)' : cssString(piece)))
    .join(' ');
}

/**
 * The @page rules that depend on the letter and the build: paper size, the
 * running header (short title and confidentiality label, from page 2 on) and,
 * for print, margins mirrored so the wider one is always at the binding.
 */
export function pageCss(meta: FrontMatter, setup: PageSetup, house: HouseStyle = defaultHouseStyle): string {
  const header = `vertical-align: bottom; padding-bottom: 6mm; ${box}`;
  const rules = [
    `@page { size: ${pageSizes[setup.paper]};
  @top-left { content: ${cssString(meta.shortTitle ?? meta.title)}; ${header} }
  @top-right { content: ${cssString(meta.confidentiality)}; ${header} }
  @bottom-center { content: ${pageFooter(house.labels[labelLanguage(meta.lang)].page)}; ${box} }
}`,
    '@page :first { @top-left { content: none; } @top-right { content: none; } }',
    // Tables too wide for the measure (rehype-table-fit) are set across the page.
    `@page wide { size: ${pageSizes[setup.paper]} landscape; }`,
  ];
  if (setup.profile === 'print') {
    rules.push('@page :left { margin-left: 19mm; margin-right: 26mm; }', '@page :right { margin-left: 26mm; margin-right: 19mm; }');
  }
  return rules.join('\n');
}

/** The house style's colour and faces, as the custom properties styles/letter.css reads. */
export function houseCss(house: HouseStyle): string {
  const latin = (face: string): string => (face === 'Noto Sans SC' ? '"Noto Sans", var(--sans)' : '"Noto Serif", var(--serif)');
  const stack = (face: string): string => (face === 'Noto Sans SC' ? 'var(--sans)' : 'var(--serif)');
  return `:root { --accent: ${house.accent}; --body-face: ${stack(house.faces.body)}; --body-latin: ${latin(house.faces.body)}; --heading-face: ${stack(house.faces.headings)}; --heading-latin: ${latin(house.faces.headings)}; }`;
}
