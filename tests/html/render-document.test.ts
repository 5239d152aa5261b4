import { describe, expect, it } from 'vitest';
import { renderDocument } from '../../src/html/render-document.ts';
import { letterFile } from '../../src/load/load-letters.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const hostile = '</title><script>alert(1)</script>" onload="x';

async function documentOf(markdown: string): Promise<string> {
  const file = letterFile('letter.md', markdown, process.cwd());
  const body = await processMarkdown(file);
  const meta = file.data.frontMatter;
  if (!meta) throw new Error(file.messages.map(String).join('\n'));
  return renderDocument({ source: markdown, body, meta, headings: file.data.headings ?? [], page: { paper: 'a4', profile: 'pdf' } });
}

const letter = (title: string, body: string): string =>
  `---\ntitle: '${title.replace(/'/g, "''")}'\nrecipients: 全体 LP\ndate: 2024-03-31\nauthor: 拾象\norganisation: 拾象 Shixiang\nconfidentiality: 保密\nclosing:\n  signoff: 此致\n  signature: 拾象团队\n---\n\n${body}`;

describe('renderDocument (the hast shell)', () => {
  it('is one standalone page: CSP forbidding every request, inline styles and subset fonts, the letterhead, TOC, body and closing', async () => {
    const html = await documentOf(letter('季度信', '## 第一部分\n\n正文。\n\n## 第二部分\n\n正文。\n'));
    expect(html).toMatch(/^<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;; style-src &#x27;unsafe-inline&#x27;; font-src data:; img-src data:">`);
    expect(html.match(/@font-face/g)).toHaveLength(4);
    expect(html).not.toContain('/* fonts */');
    expect(html).toMatch(/<header class="letterhead">.*<h1 class="letter-title">季度信<\/h1>/s);
    expect(html).toMatch(/<nav class="toc" aria-label="目录">.*<\/nav><main class="letter-body">/s);
    expect(html).toMatch(/<footer class="closing"><p class="closing-signoff">此致<\/p><p class="closing-signature">拾象团队<\/p><\/footer>/);
    expect(html).not.toMatch(/https?:|file:|<script/);
  });

  it('keeps front-matter values as text: a title cannot close an element or add an attribute', async () => {
    const html = await documentOf(letter(hostile, '正文。\n'));
    expect(html).not.toContain('<script>');
    expect(html).toContain('<title>&#x3C;/title>&#x3C;script>alert(1)&#x3C;/script>" onload="x</title>');
    expect(html).not.toMatch(/<[^>]* onload=/);
  });

  it('leaves the TOC out when the letter has no headings', async () => {
    expect(await documentOf(letter('无标题', '只有正文。\n'))).not.toContain('<nav');
  });
});
