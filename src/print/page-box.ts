/** The content box of the letter's pages, in CSS pixels. */
export interface PageBox {
  width: number;
  height: number;
}

/**
 * Runs inside the page (serialised by Puppeteer, so self-contained): the
 * content box of the document's pages on a sheet of `sheetWidth` ×
 * `sheetHeight` CSS pixels, from its `@page` margins. Null when the pages do
 * not share one box: no margins declared, a first page with margins of its
 * own, or left and right pages of different sizes.
 */
export function readPageBox(sheetWidth: number, sheetHeight: number): PageBox | null {
  // (No named inner functions: tsx would wrap them in a helper the page does not have.)
  const sides = ['top', 'right', 'bottom', 'left'] as const;
  const probe = document.createElement('div');
  document.body.append(probe);
  const declared = new Map<string, Partial<Record<(typeof sides)[number], number>>>();
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) {
      if (!(rule instanceof CSSPageRule)) continue;
      const margins = declared.get(rule.selectorText) ?? {};
      for (const side of sides) {
        const value = rule.style.getPropertyValue(`margin-${side}`);
        if (!value) continue;
        probe.style.width = value;
        margins[side] = probe.getBoundingClientRect().width;
      }
      declared.set(rule.selectorText, margins);
    }
  }
  probe.remove();
  const base = declared.get('') ?? {};
  if (sides.some((side) => base[side] === undefined) || Object.keys(declared.get(':first') ?? {}).length > 0) return null;
  // The first page is a right-hand page; left-hand ones must have the same box.
  const [right, left] = [':right', ':left'].map((selector) => {
    const m = { ...base, ...declared.get(selector) };
    return { width: sheetWidth - (m.left ?? 0) - (m.right ?? 0), height: sheetHeight - (m.top ?? 0) - (m.bottom ?? 0) };
  });
  if (!right || !left || Math.abs(left.width - right.width) > 0.5 || Math.abs(left.height - right.height) > 0.5) return null;
  return right;
}
