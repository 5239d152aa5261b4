import type { FrontMatter } from '../config/front-matter-schema.ts';
import type { Paper, PageSetup } from '../config/page-setup.ts';
import { cssString } from './css-string.ts';

const pageSizes: Record<Paper, string> = { a4: 'A4', letter: 'letter' };

/** Running header and footer matter: small grey sans, set in the page margins. */
const box = 'font-family: "Noto Sans SC", sans-serif; font-size: 8pt; color: #5c5c5c;';

/** The page number in the bottom margin. */
export const pageFooter = '"第 " counter(page) " 页 / 共 " counter(pages) " 页"';

/**
 * The @page rules that depend on the letter and the build: paper size, the
 * running header (short title and confidentiality label, from page 2 on) and,
 * for print, margins mirrored so the wider one is always at the binding.
 */
export function pageCss(meta: FrontMatter, setup: PageSetup): string {
  const header = `vertical-align: bottom; padding-bottom: 6mm; ${box}`;
  const rules = [
    `@page { size: ${pageSizes[setup.paper]};
  @top-left { content: ${cssString(meta.shortTitle ?? meta.title)}; ${header} }
  @top-right { content: ${cssString(meta.confidentiality)}; ${header} }
  @bottom-center { content: ${pageFooter}; ${box} }
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
