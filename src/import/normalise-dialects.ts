import type { ImportChange } from './map-front-matter.ts';

/** A callout's type by the editors' names for it (GitBook hints, Yuque and VuePress containers, Notion's aside). */
const calloutTypes: Record<string, string> = {
  info: 'NOTE', note: 'NOTE', tips: 'TIP', tip: 'TIP', success: 'TIP', hint: 'TIP',
  warning: 'WARNING', warn: 'WARNING', danger: 'CAUTION', caution: 'CAUTION', error: 'CAUTION', important: 'IMPORTANT', color1: 'NOTE', color2: 'TIP', color3: 'WARNING', color4: 'CAUTION', color5: 'NOTE',
};

/** An image the body points to, for the importer to copy: the text as written, and where. */
export interface ImageReference {
  url: string;
  line: number;
}

/**
 * Rewrites what editors export that a letter reads otherwise, line by line
 * outside code fences, and says what it did at each line:
 * - GitBook `{% hint style="info" %}…{% endhint %}`, Yuque/VuePress `:::tips…:::`
 *   and Notion's `<aside>…</aside>` → callouts (`> [!NOTE]`);
 * - Hexo `{% asset_img file title %}` → an image; Jekyll `{{ site.baseurl }}` →
 *   nothing; `{% raw %}`, `{% endraw %}` → nothing; `{% highlight x %}` → a fence;
 *   GitBook `{% embed url="…" %}` → a link;
 * - Typora's `[TOC]` → nothing (the letter makes its TOC);
 * - Obsidian `%%comments%%` (hidden in Obsidian) and `^block-ids` → nothing;
 * - `<style>`, `<script>` blocks (never shown) → nothing.
 * A Liquid tag it does not know is reported and left, so the build names it.
 */
export function normaliseDialects(body: string, firstLine: number): { text: string; changes: ImportChange[] } {
  const lines = body.split('\n');
  const out: string[] = [];
  const changes: ImportChange[] = [];
  const note = (index: number, text: string): void => {
    changes.push({ line: firstLine + index, text });
  };
  let fence: string | undefined;
  /** The quote prefix of an open callout, while its lines are being quoted. */
  let callout: { end: RegExp } | undefined;
  let hidden: RegExp | undefined;
  let inComment = false;
  lines.forEach((raw, i) => {
    let line = raw;
    const fenceMark = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length && line.trim() === fenceMark) fence = undefined;
      out.push(callout ? `> ${line}` : line);
      return;
    }
    if (fenceMark) {
      fence = fenceMark;
      out.push(callout ? `> ${line}` : line);
      return;
    }
    if (hidden) {
      if (hidden.test(line)) hidden = undefined;
      return;
    }
    const block = /^\s*<(style|script)\b/i.exec(line);
    if (block?.[1]) {
      note(i, `<${block[1].toLowerCase()}> block removed (never shown)`);
      const end = new RegExp(`</${block[1]}\\s*>`, 'i');
      if (!end.test(line)) hidden = end;
      return;
    }
    // Obsidian comments: hidden in the editor, so never part of what the author shows.
    if (inComment || line.includes('%%')) {
      let kept = '';
      let rest = line;
      while (rest.length > 0) {
        if (inComment) {
          const close = rest.indexOf('%%');
          if (close === -1) {
            rest = '';
            break;
          }
          rest = rest.slice(close + 2);
          inComment = false;
        } else {
          const open = rest.indexOf('%%');
          if (open === -1) {
            kept += rest;
            rest = '';
          } else {
            kept += rest.slice(0, open);
            rest = rest.slice(open + 2);
            inComment = true;
          }
        }
      }
      if (kept !== line) note(i, 'Obsidian comment (%%…%%) removed');
      if (kept.trim() === '' && line.trim() !== '') return;
      line = kept;
    }
    const start = /^\s*\{%\s*hint\s+style=["']?(\w+)["']?\s*%\}\s*$/.exec(line) ?? /^\s*:::\s*(\w+)\s*(.*)$/.exec(line);
    if (start?.[1] && !callout) {
      const type = calloutTypes[start[1].toLowerCase()] ?? 'NOTE';
      const title = (start[2] ?? '').trim();
      out.push(`> [!${type}]${title ? ` ${title}` : ''}`);
      callout = { end: line.trimStart().startsWith(':::') ? /^\s*:::\s*$/ : /^\s*\{%\s*endhint\s*%\}\s*$/ };
      note(i, `${line.trim()} → callout [!${type}]`);
      return;
    }
    const aside = /^\s*<aside>\s*(.*)$/i.exec(line);
    if (aside && !callout) {
      callout = { end: /<\/aside>\s*$/i };
      note(i, '<aside> (Notion callout) → callout [!NOTE]');
      out.push('> [!NOTE]');
      const rest = (aside[1] ?? '').replace(/<\/aside>\s*$/i, '').trim();
      if (rest) out.push(`> ${rest}`);
      if (/<\/aside>\s*$/i.test(line)) callout = undefined;
      return;
    }
    if (callout) {
      if (callout.end.test(line)) {
        const before = line.replace(callout.end, '').replace(/<\/aside>\s*$/i, '').trim();
        if (before) out.push(`> ${before}`);
        callout = undefined;
        out.push('');
        return;
      }
      out.push(line.trim() === '' ? '>' : `> ${line}`);
      return;
    }
    if (/^\s*\[toc\]\s*$/i.test(line)) {
      note(i, '[TOC] removed (the letter prints its own table of contents)');
      return;
    }
    const replaced = line
      .replace(/\{%\s*asset_img\s+(\S+)(?:\s+([^%]*?))?\s*%\}/g, (_, file: string, title = '') => {
        note(i, `{% asset_img ${file} %} → image`);
        return `![${title.trim()}](${file})`;
      })
      .replace(/\{%\s*embed\s+url=["']([^"']+)["']\s*%\}/g, (_, url: string) => {
        note(i, '{% embed %} → link');
        return `<${url}>`;
      })
      .replace(/\{%\s*highlight\s+(\w+)[^%]*%\}/g, (_, lang: string) => {
        note(i, '{% highlight %} → code fence');
        return `\`\`\`${lang}`;
      })
      .replace(/\{%\s*endhighlight\s*%\}/g, () => '```')
      .replace(/\{%\s*(raw|endraw)\s*%\}/g, (_, tag: string) => {
        note(i, `{% ${tag} %} removed`);
        return '';
      })
      .replace(/\{\{\s*site\.(baseurl|url)\s*\}\}/g, () => {
        note(i, '{{ site.baseurl }} removed');
        return '';
      })
      .replace(/\s\^[A-Za-z0-9-]+$/, () => {
        note(i, 'Obsidian block id removed');
        return '';
      });
    for (const tag of replaced.matchAll(/\{%\s*(\w+)[^%]*%\}/g)) note(i, `Liquid tag {% ${tag[1]} %} left as written: rewrite it in Markdown`);
    if (/\{%\s*(raw|endraw)\s*%\}/.test(line) && replaced.trim() === '') return;
    out.push(replaced);
  });
  return { text: out.join('\n'), changes };
}

/** `![alt](url "title")`: the URL in angle brackets, or without spaces and with balanced parentheses (`image%20(1).png`). */
export const markdownImage = /(!\[[^\]]*\]\(\s*)(<[^>]+>|(?:[^()\s]|\([^()\s]*\))+)/g;

/** Every image the body points to: Markdown images, `<img src>`, Obsidian embeds. */
export function imageReferences(body: string, firstLine: number): ImageReference[] {
  const found: ImageReference[] = [];
  body.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(markdownImage)) found.push({ url: (m[2] ?? '').replace(/^<|>$/g, ''), line: firstLine + i });
    for (const m of line.matchAll(/<img\b[^>]*?\bsrc=["']([^"']+)["']/gi)) found.push({ url: m[1] ?? '', line: firstLine + i });
    for (const m of line.matchAll(/!\[\[([^\]|]+)(?:\|[^\]]*)?\]\]/g)) found.push({ url: m[1] ?? '', line: firstLine + i });
  });
  return found;
}
