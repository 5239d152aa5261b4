/** What the paragraph breaker did to a document (see breakParagraphs). */
export interface BreakReport {
  /** Justified paragraphs and list items of more than one line, measured. */
  measured: number;
  /** Those now set on the breaker's lines. */
  rebroken: number;
  /** Those whose chosen lines did not fit as measured, and were left as Chromium set them. */
  reverted: number;
}

/**
 * Chooses the line breaks of each justified paragraph and list item of the
 * letter as a whole, Knuth–Plass style, where Chromium's line-by-line breaking
 * leaves gappy lines. Runs inside the page once its fonts are in, in print
 * media, the letter laid out `columnWidth` CSS pixels wide (the pages' content
 * box). Serialised by Puppeteer, so self-contained (helpers are object
 * methods: tsx names arrow functions with a helper the page does not have).
 *
 * Each paragraph is laid out on one line to measure where every character
 * starts and ends. Lines may break where clreq allows: never before closing
 * punctuation nor after opening punctuation, never inside a Latin word, a
 * number, inline code, a formula or before a note number; between words, at
 * a compound's hyphen, and beside CJK characters. The breaks chosen minimise
 * the space justification adds, with no last line of one character; a line
 * a little too long may fit by setting full-width marks half-width (the
 * font's `halt`), its last mark first, then those inside it, and then by
 * narrowing its spaces between words, by a third of a space at most.
 *
 * Only a paragraph whose greedy setting has a loose line (more than 0.06 em
 * added per justification opportunity, as measured here) or a 孤字, and whose chosen lines are
 * better and no more, is set on them: it stops wrapping by itself and gets a
 * `<wbr>` at each chosen break, so Chromium still justifies each line and
 * leaves the last one ragged, and the text is unchanged. A paragraph whose
 * lines then do not fit as measured is put back as it was.
 */
export function breakParagraphs(columnWidth: number, hyphenation: [string, number[]][]): BreakReport {
  const report: BreakReport = { measured: 0, rebroken: 0, reverted: 0 };
  /** Justification below this (em added to each gap) is not worth a change: under the 0.08 em that counts as loose on the page, for what the estimate misses. */
  const looseEm = 0.06;
  /** How much of its width a space between words may give up for a line to fit. */
  const narrowable = 1 / 3;
  /** How much longer than the column (in em) a line may be before its marks are squeezed to fit: four marks' worth. */
  const squeezeRoom = 2;
  /** Room kept free on each chosen line, in CSS pixels: Chromium's own sums may differ in the last bits. */
  const safety = 0.5;
  const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
  const noStart = new Set([...'，。、；：？！）」』】》〉〕］｝〗〙”’…‥—–·・～%‰℃,.;:?!)]}>〞〟ー々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ']);
  const noEnd = new Set([...'（「『【《〈〔［｛〖〘“‘([{<〝$¥￥£€#']);
  const openingCjk = new Set([...'（「『【《〈〔［｛〖〘“‘']);
  /**
   * Full-width punctuation that may be set half-width (the font's `halt`) for a line to fit: at its end (clreq's
   * line-end compression) and, when that is not enough, inside it, as Typst's justification shrinks CJK punctuation
   * (adjacent marks are already trimmed by text-spacing-trim).
   */
  const squeezable = new Set([...'，。、；：！？）」』】》〉〕”’']);
  /** Inline content never broken inside: code, formulas, note numbers, images. */
  const atomic = 'code, kbd, samp, sup, sub, .katex, math, svg, img';
  const blockInside = 'p, ul, ol, div, pre, table, blockquote, figure, br, img, .katex-display, h1, h2, h3, h4, h5, h6';
  type Unit = { c: string; node: Node; offset: number; left: number; right: number; space: boolean; cjk: boolean; atom?: Element; english: boolean };
  const hyphenPoints = new Map(hyphenation);
  /** Beside a hyphenated word: a space, CJK, punctuation ending a clause or a quote; not a path, an address or a compound. */
  const wordEdge = /^[\s\p{Script=Han}\u3000-\u303f\uff00-\uffef,;:!?"“”‘’()]?$/u;
  const range = document.createRange();

  const lay = {
    contentWidth(el: HTMLElement): number {
      const style = getComputedStyle(el);
      const sides = ['paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth'] as const;
      return el.getBoundingClientRect().width - sides.reduce((sum, side) => sum + parseFloat(style[side]), 0);
    },
    /** Every character (and atom) of `node`, with where it starts and ends on the one line. */
    /** `english`: whether the text is English (by its `lang`), outside a link or a long run, so that its words may be hyphenated. */
    collect(node: Node, units: Unit[], origin: number, english: boolean): void {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child instanceof Element && child.matches(atomic)) {
          const box = child.getBoundingClientRect();
          units.push({ c: '\ufffc', node: child, offset: 0, left: box.left, right: box.right, space: false, cjk: false, atom: child, english });
        } else if (child instanceof Text) {
          let i = 0;
          for (const c of child.data) {
            range.setStart(child, i);
            range.setEnd(child, i + c.length);
            const box = range.getClientRects()[0];
            // A collapsed space has no box: it sits where the last character ended.
            const at = units.at(-1)?.right ?? origin;
            units.push({ c, node: child, offset: i, left: box?.left ?? at, right: box?.right ?? at, space: /\s/u.test(c) && c !== '\u00a0', cjk: cjk.test(c), english });
            i += c.length;
          }
        } else if (child instanceof Element) {
          const lang = child.getAttribute('lang');
          lay.collect(child, units, origin, !child.matches('a, .long-word') && (lang === null ? english : /^en\b/iu.test(lang)));
        }
      }
    },
    /** Whether a line may end after unit `k - 1` and the next begin with unit `k`. */
    canBreak(units: Unit[], k: number): boolean {
      const a = units[k - 1];
      const b = units[k];
      if (!a || !b || b.space || noStart.has(b.c) || b.atom?.matches('sup')) return false;
      if (a.space) {
        let p = k - 1;
        while (p > 0 && units[p]?.space) p--;
        const before = units[p];
        return before !== undefined && !before.space && !noEnd.has(before.c);
      }
      if (noEnd.has(a.c)) return false;
      if (a.cjk || b.cjk) return true;
      // A compound's hyphen, between letters: "pre-|training".
      return a.c === '-' && /\p{L}/u.test(units[k - 2]?.c ?? '') && /\p{L}/u.test(b.c);
    },
    /**
     * The breaks chosen for a paragraph (indices of the units that begin its lines after
     * the first) and the marks squeezed, or none when Chromium's lines are as good.
     */
    choose(el: HTMLElement, units: Unit[], hyphenWidth: number): { breaks: number[]; squeezed: number[]; narrowed: { k: number; px: number }[]; hyphenated: number[] } | undefined {
      const em = parseFloat(getComputedStyle(el).fontSize);
      const width = lay.contentWidth(el) - safety;
      const end = units.length;
      const plain = [0];
      for (let k = 1; k < end; k++) if (lay.canBreak(units, k)) plain.push(k);
      // English words (by their language) hyphenated where the patterns allow, outside links and long runs; the line then ends with a hyphen.
      const hyphenAt = new Set<number>();
      for (let k = 0; k < end; ) {
        let e = k;
        while (e < end && /[a-zA-Z]/u.test(units[e]?.c ?? '')) e++;
        if (e === k) {
          k++;
          continue;
        }
        const word = units.slice(k, e).map((u) => u.c).join('');
        // A full stop ends the word unless more of it follows (an address: example.com).
        const closes = units[e]?.c === '.' ? !/[\p{L}\p{N}]/u.test(units[e + 1]?.c ?? '') : wordEdge.test(units[e]?.c ?? '');
        if (units[k]?.english && wordEdge.test(units[k - 1]?.c ?? '') && closes) for (const offset of hyphenPoints.get(word) ?? []) hyphenAt.add(k + offset);
        k = e;
      }
      const candidates = [...new Set([...plain, ...hyphenAt])].sort((a, b) => a - b);
      // Prefix counts of justification opportunities: spaces between words, and CJK characters. Chromium adds space after
      // each; after a CJK character followed by a space it lands in the same gap as the space's own: one gap, widened twice.
      const opportunities = [0];
      const doubled = [0];
      // And of marks set full-width here (not already halved beside another mark), spaces between words with the width
      // they may give up, and letters and digits: each line is judged in constant time.
      const halvable = units.map((u) => squeezable.has(u.c) && u.right - u.left > em * 0.9);
      const narrowableAt = units.map((u, i) => u.space && !units[i - 1]?.space);
      const marks = [0];
      const spaces = [0];
      const room = [0];
      const letters = [0];
      units.forEach((u, i) => {
        opportunities.push((opportunities[i] ?? 0) + (u.space || u.cjk ? 1 : 0));
        doubled.push((doubled[i] ?? 0) + (u.cjk && units[i + 1]?.space ? 1 : 0));
        marks.push((marks[i] ?? 0) + (halvable[i] ? 1 : 0));
        spaces.push((spaces[i] ?? 0) + (narrowableAt[i] ? 1 : 0));
        room.push((room[i] ?? 0) + (narrowableAt[i] ? (u.right - u.left) * narrowable : 0));
        letters.push((letters[i] ?? 0) + (/[\p{L}\p{N}\ufffc]/u.test(u.c) ? 1 : 0));
      });

      const line = {
        /** The space added to each gap of the line from unit `s` up to unit `k` (its last unit `last`), on average, in em, for `room` CSS pixels. */
        spread(s: number, k: number, last: number, room: number): number {
          const n = Math.max(1, (opportunities[k] ?? 0) - (opportunities[s] ?? 0) - 1);
          return room / Math.max(1, n - ((doubled[last] ?? 0) - (doubled[s] ?? 0))) / em;
        },
        /** Natural width of the line from unit `s` up to unit `k`, its trailing spaces hung. */
        width(s: number, k: number): number {
          let p = k - 1;
          while (p > s && units[p]?.space) p--;
          const start = units[s];
          if (!start) return 0;
          // A line other than the first starts with its opening bracket trimmed to half (text-spacing-trim).
          const trimmed = s > 0 && openingCjk.has(start.c) ? em / 2 : 0;
          return (units[p]?.right ?? 0) - start.left - trimmed + (hyphenAt.has(k) ? hyphenWidth : 0);
        },
        /**
         * How the line from unit `s` up to unit `k` is set: the space justification adds
         * to each of its gaps, in em (below zero: what each space between words gives up),
         * the marks squeezed and the spaces narrowed for it to fit, if any; none when it cannot fit.
         */
        fit(s: number, k: number): { gap: number; squeezes: number; narrowing: number } | undefined {
          let set = line.width(s, k);
          const last = line.last(s, k);
          // Too long by a little: marks set half-width, as many as it takes.
          const squeezes = set > width ? Math.min((marks[last + 1] ?? 0) - (marks[s] ?? 0), Math.ceil((set - width) / (em / 2))) : 0;
          set -= (squeezes * em) / 2;
          if (set <= width) return { gap: line.spread(s, k, last, width - set), squeezes, narrowing: 0 };
          // Still too long: the spaces between words inside it narrowed alike, by a third of a space at most (as Typst's).
          const count = (spaces[last] ?? 0) - (spaces[s + 1] ?? 0);
          const free = (room[last] ?? 0) - (room[s + 1] ?? 0);
          if (count === 0 || set - free > width) return undefined;
          // A pixel more where there is room: the overflow Chromium reports is rounded up to whole pixels.
          const narrowing = Math.min(free, set - width + 1) / count;
          return { gap: -narrowing / em, squeezes, narrowing };
        },
        /** The line's last unit that is not a space. */
        last(s: number, k: number): number {
          let last = k - 1;
          while (last > s && units[last]?.space) last--;
          return last;
        },
        /** Which marks a line `fit` squeezes (its last one first, then those inside it from its end) and which spaces it narrows. */
        settings(s: number, k: number): { squeezed: number[]; narrowed: { k: number; px: number }[] } {
          const set = line.fit(s, k);
          const last = line.last(s, k);
          const squeezed: number[] = [];
          for (let p = last; p >= s && squeezed.length < (set?.squeezes ?? 0); p--) if (halvable[p]) squeezed.push(p);
          const narrowed: { k: number; px: number }[] = [];
          if (set?.narrowing) for (let p = s + 1; p < last; p++) if (narrowableAt[p]) narrowed.push({ k: p, px: set.narrowing });
          return { squeezed, narrowed };
        },
        gap(s: number, k: number): number {
          return line.fit(s, k)?.gap ?? Infinity;
        },
        /** Whether the last line, from unit `s`, holds one character besides punctuation. */
        lonely(s: number): boolean {
          return (letters[end] ?? 0) - (letters[s] ?? 0) <= 1;
        },
        demerits(s: number, k: number): number {
          const set = line.fit(s, k);
          if (!set) return Infinity;
          // The last line is set ragged: only its length counts.
          if (k === end) return (line.lonely(s) ? 1e9 : 0) + (20 * set.squeezes) ** 2;
          // Space taken out of a line weighs as space added to it.
          const r = Math.abs(set.gap) / looseEm;
          return (10 + 100 * r * r * r + 20 * set.squeezes) ** 2 + (hyphenAt.has(k) ? 2500 : 0);
        },
      };

      // Greedy, as Chromium breaks line by line: each line takes all that fits.
      const greedy: number[] = [];
      let worst = 0;
      let lonely = false;
      for (let s = 0, i = 0; ; ) {
        if (line.width(s, end) <= width + safety) {
          lonely = greedy.length > 0 && line.lonely(s);
          break;
        }
        let next = -1;
        for (let j = i + 1; j < plain.length && line.width(s, plain[j] ?? 0) <= width + safety; j++) next = j;
        // Something wider than the line: left to Chromium.
        if (next < 0) return undefined;
        const k = plain[next] ?? 0;
        worst = Math.max(worst, line.spread(s, k, line.last(s, k), width + safety - line.width(s, k)));
        greedy.push(k);
        s = k;
        i = next;
      }
      if (worst <= looseEm && !lonely) return undefined;

      // Knuth–Plass over the candidates: the least total demerits.
      const best = new Map<number, { cost: number; lines: number; from: number }>([[0, { cost: 0, lines: 0, from: -1 }]]);
      for (const k of [...candidates.slice(1), end]) {
        let choice: { cost: number; lines: number; from: number } | undefined;
        for (let j = candidates.length - 1; j >= 0; j--) {
          const s = candidates[j] ?? 0;
          if (s >= k) continue;
          if (line.width(s, k) > width + squeezeRoom * em) break;
          const before = best.get(s);
          if (!before) continue;
          const cost = before.cost + line.demerits(s, k);
          if (cost === Infinity) continue;
          if (!choice || cost < choice.cost) choice = { cost, lines: before.lines + 1, from: s };
        }
        if (choice) best.set(k, choice);
      }
      const last = best.get(end);
      // No more lines than Chromium's: the pages stay as long.
      if (!last || last.cost >= 1e9 || last.lines > greedy.length + 1) return undefined;
      const breaks: number[] = [];
      for (let k = last.from; k > 0; k = best.get(k)?.from ?? 0) breaks.unshift(k);
      const chosenWorst = Math.max(0, ...breaks.map((k, i) => line.gap(breaks[i - 1] ?? 0, k)));
      if (chosenWorst >= worst && !lonely) return undefined;
      const settings = [...breaks, end].map((k, i) => line.settings(breaks[i - 1] ?? 0, k));
      return {
        breaks,
        squeezed: settings.flatMap((set) => set.squeezed),
        narrowed: settings.flatMap((set) => set.narrowed),
        hyphenated: breaks.filter((k) => hyphenAt.has(k)),
      };
    },
    /**
     * Whether a paragraph set ragged has a line, not its last, ending short of the column by more
     * than a twenty-fifth of it (a line of Han with half as many justification opportunities as
     * characters would then be loose), or a last line under 2 em.
     */
    roomy(el: HTMLElement): boolean {
      const style = getComputedStyle(el);
      const em = parseFloat(style.fontSize);
      const half = (parseFloat(style.lineHeight) || em * 1.8) / 2;
      const left = el.getBoundingClientRect().left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth);
      const right = left + lay.contentWidth(el);
      range.selectNodeContents(el);
      const ends: { top: number; right: number }[] = [];
      for (const box of [...range.getClientRects()].sort((a, b) => a.top - b.top)) {
        const last = ends.at(-1);
        if (last && box.top < last.top + half) last.right = Math.max(last.right, box.right);
        else ends.push({ top: box.top, right: box.right });
      }
      const last = ends.pop();
      return ends.some((line) => right - line.right > (right - left) / 25) || (last !== undefined && last.right - left < em * 2);
    },
    /** The box of the first (or last) non-space character after (or before) `from` inside `root`. */
    charBox(from: Node, forward: boolean, root: HTMLElement): DOMRect | undefined {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      walker.currentNode = from;
      for (let node = forward ? walker.nextNode() : walker.previousNode(); node; node = forward ? walker.nextNode() : walker.previousNode()) {
        const text = (node as Text).data;
        let i = forward ? 0 : text.length - 1;
        while (i >= 0 && i < text.length && /\s/u.test(text[i] ?? '')) i += forward ? 1 : -1;
        if (i < 0 || i >= text.length) continue;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        return range.getClientRects()[0];
      }
      return undefined;
    },
  };

  const column = document.createElement('style');
  column.textContent = `html { width: ${columnWidth}px !important; margin: 0 !important; padding: 0 !important; }`;
  document.head.append(column);
  try {
    const paragraphs = [...document.querySelectorAll<HTMLElement>('.letter-body p, .letter-body li')].filter((el) => {
      const style = getComputedStyle(el);
      if (style.textAlign !== 'justify' || el.querySelector(blockInside)) return false;
      return el.getBoundingClientRect().height > (parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.8) * 1.5;
    });
    // Only paragraphs whose lines, set ragged, leave room at their end (or end on a very short line) can be gappy: the others
    // are not measured character by character.
    for (const el of paragraphs) el.style.setProperty('text-align', 'left');
    const gappy = paragraphs.filter((el) => lay.roomy(el));
    for (const el of paragraphs) el.style.removeProperty('text-align');
    report.measured = gappy.length;

    // Measured on one line each, all in one layout.
    for (const el of gappy) el.style.setProperty('text-wrap-mode', 'nowrap');
    const measured = gappy.map((el) => {
      const units: Unit[] = [];
      lay.collect(el, units, el.getBoundingClientRect().left, /^en\b/iu.test(el.closest('[lang]')?.getAttribute('lang') ?? ''));
      return units;
    });
    // The hyphen a hyphenated line ends with, in each paragraph's face.
    const hyphens = gappy.map((el) => {
      const probe = document.createElement('span');
      probe.textContent = '\u2010';
      el.append(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      return width;
    });
    for (const el of gappy) el.style.removeProperty('text-wrap-mode');

    const chosen = gappy.map((el, i) => lay.choose(el, measured[i] ?? [], hyphens[i] ?? 0));
    // Set: no wrapping of its own, a break opportunity at each chosen break, the squeezed marks half-width.
    const inserted = new Map<HTMLElement, Element[]>();
    gappy.forEach((el, i) => {
      const set = chosen[i];
      const units = measured[i] ?? [];
      if (!set) return;
      const added: Element[] = [];
      const halt = getComputedStyle(el).fontFeatureSettings;
      // A break, or a character set apart in a span of its own: a mark half-width, a space narrowed.
      const edits: { k: number; property?: string; value?: string }[] = [
        ...set.breaks.map((k) => ({ k })),
        ...set.squeezed.map((k) => ({ k, property: 'font-feature-settings', value: halt === 'normal' ? '"halt"' : `${halt}, "halt"` })),
        ...set.narrowed.map(({ k, px }) => ({ k, property: 'word-spacing', value: `${-px}px` })),
      ];
      const hyphenated = new Set(set.hyphenated);
      // From the end, so that splitting a text node leaves the offsets of the units before valid.
      edits.sort((a, b) => b.k - a.k);
      for (const { k, property, value } of edits) {
        const unit = units[k];
        if (!unit) continue;
        const at = unit.atom || unit.offset === 0 ? unit.node : (unit.node as Text).splitText(unit.offset);
        if (property && value) {
          (at as Text).splitText(unit.c.length);
          const span = document.createElement('span');
          span.style.setProperty(property, value);
          at.parentNode?.insertBefore(span, at);
          span.append(at);
          added.push(span);
        } else if (hyphenated.has(k)) {
          // A soft hyphen that may break the line (the paragraph does not wrap by itself): Chromium draws the hyphen and
          // the text layer reads it as a hyphenation.
          const shy = document.createElement('span');
          shy.style.setProperty('text-wrap-mode', 'wrap');
          shy.textContent = '\u00ad';
          at.parentNode?.insertBefore(shy, at);
          added.push(shy);
        } else {
          const wbr = document.createElement('wbr');
          at.parentNode?.insertBefore(wbr, at);
          added.push(wbr);
        }
      }
      el.style.setProperty('text-wrap-mode', 'nowrap');
      inserted.set(el, added);
    });

    // Checked in one layout: every chosen line ends inside the column, and the next begins below it. (Chromium rounds
    // the overflow it reports up to a whole pixel, and a line narrowed to the column's fraction of a pixel reads as one
    // pixel over: the line ends are measured.)
    for (const [el, added] of inserted) {
      const right = el.getBoundingClientRect().left + lay.contentWidth(el) + 0.5;
      const end = document.createElement('span');
      el.append(end);
      const last = lay.charBox(end, false, el);
      end.remove();
      const fits = el.scrollWidth <= el.clientWidth + 1 && (last === undefined || last.right <= right) && added.every((mark) => {
        if (mark.localName !== 'wbr' && mark.textContent !== '\u00ad') return true;
        const a = lay.charBox(mark, false, el);
        const b = lay.charBox(mark.lastChild ?? mark, true, el);
        return a !== undefined && b !== undefined && a.right <= right && b.top > a.top + 1;
      });
      if (fits) {
        report.rebroken++;
        continue;
      }
      for (const mark of added) {
        if (mark.textContent === '\u00ad') mark.remove();
        else mark.replaceWith(...mark.childNodes);
      }
      el.normalize();
      el.style.removeProperty('text-wrap-mode');
      report.reverted++;
    }
    // A paragraph of three lines or fewer is kept on one page: split, it leaves a line alone, and Chromium's `widows`
    // does not always keep it whole (a three-line paragraph before a heading can be split two and one).
    for (const el of paragraphs) {
      const style = getComputedStyle(el);
      if (el.getBoundingClientRect().height < parseFloat(style.lineHeight) * 3.5) el.style.setProperty('break-inside', 'avoid');
    }
    return report;
  } finally {
    column.remove();
  }
}
