import { describe, expect, it } from 'vitest';
import { defaultHouseStyle, houseStyleSchema, type HouseStyle } from '../../src/config/house-style-schema.ts';
import { houseCss, pageFooter } from '../../src/html/page-css.ts';
import { renderDocument } from '../../src/html/render-document.ts';
import { letterFile } from '../../src/load/load-letters.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

async function documentOf(markdown: string, house?: HouseStyle): Promise<{ html: string; meta: unknown }> {
  const file = letterFile('letter.md', markdown, process.cwd());
  if (house) file.data.house = house;
  const body = await processMarkdown(file);
  const meta = file.data.frontMatter;
  if (!meta) throw new Error(file.messages.map(String).join('\n'));
  const html = await renderDocument({ source: markdown, body, meta, headings: file.data.headings ?? [], page: { paper: 'a4', profile: 'pdf' }, house });
  return { html, meta };
}

const letter = (lang: string, extra = 'organisation: 拾象 Shixiang\nconfidentiality: 保密\n'): string =>
  `---\ntitle: 季度信\nrecipients: 全体 LP\ndate: 2024-03-31\nauthor: 拾象\nlang: ${lang}\n${extra}---\n\n## 第一部分\n\n正文。\n`;

const meta = (html: string): string => /<dl class="letter-meta">(.*?)<\/dl>/s.exec(html)?.[1] ?? '';

describe('the house style in the letter', () => {
  it('labels a Chinese letter in Chinese and an English one in English', async () => {
    expect(meta((await documentOf(letter('zh-CN'))).html)).toBe('<dt>致</dt><dd>全体 LP</dd><dt>日期</dt><dd><time datetime="2024-03-31">2024-03-31</time></dd>');
    expect(meta((await documentOf(letter('en'))).html)).toBe('<dt>To:</dt><dd>全体 LP</dd><dt>Date:</dt><dd><time datetime="2024-03-31">2024-03-31</time></dd>');
    expect((await documentOf(letter('zh-CN'))).html).toContain('<div class="toc-title">目录</div>');
  });

  it('takes the labels, colour, faces and logo the house style sets', async () => {
    const house: HouseStyle = {
      ...houseStyleSchema.parse({ accent: '#0a5c36', faces: { body: 'Noto Sans SC', headings: 'Noto Serif SC' }, labels: { zh: { to: '呈送', toc: '目 次', page: '— {n} —' } } }),
      logoUrl: 'data:image/svg+xml;base64,PHN2Zy8+',
    };
    const { html } = await documentOf(letter('zh-CN'), house);
    expect(meta(html)).toMatch(/^<dt>呈送<\/dt>.*<dt>日期<\/dt>/);
    expect(html).toContain('<div class="toc-title">目 次</div>');
    expect(html).toContain('--accent: #0a5c36; --body-face: var(--sans); --body-latin: "Noto Sans", var(--sans); --heading-face: var(--serif);');
    expect(html).toContain('@bottom-center { content: "— " counter(page) " —";');
    expect(html).toContain('<span class="letterhead-brand"><img class="letterhead-logo" src="data:image/svg+xml;base64,PHN2Zy8+" alt=""><span class="letterhead-org">拾象 Shixiang</span></span>');
  });

  it('fills in the organisation, confidentiality and closing a letter leaves out; the letter’s own words win', async () => {
    const house = houseStyleSchema.parse({ organisation: { name: '甲资本' }, labels: { zh: { confidentiality: '机密' }, en: { confidentiality: 'Confidential' } }, closing: { signoff: '此致', signature: '甲资本团队' } });
    const zh = await documentOf(letter('zh-CN', ''), house);
    expect(zh.meta).toMatchObject({ organisation: '甲资本', confidentiality: '机密', closing: { signoff: '此致', signature: '甲资本团队' } });
    const en = await documentOf(letter('en', 'confidentiality: Strictly private\nclosing:\n  signature: The partners\n'), house);
    expect(en.meta).toMatchObject({ organisation: '甲资本', confidentiality: 'Strictly private', closing: { signoff: '此致', signature: 'The partners' } });
  });

  it('writes today’s page footer and colours by default', () => {
    expect(pageFooter(defaultHouseStyle.labels.zh.page)).toBe('"第 " counter(page) " 页 / 共 " counter(pages) " 页"');
    expect(houseCss(defaultHouseStyle)).toBe(
      ':root { --accent: #6b1f1f; --body-face: var(--serif); --body-latin: "Noto Serif", var(--serif); --heading-face: var(--sans); --heading-latin: "Noto Sans", var(--sans); }',
    );
  });
});

describe('an LP’s copy', () => {
  it('names its recipient in the letterhead’s recipients line', async () => {
    const { buildLetterHtml } = await import('../../src/pipeline/build-letter.ts');
    const file = letterFile('letter.md', letter('zh-CN'), process.cwd());
    const built = await buildLetterHtml(file, { page: { paper: 'a4', profile: 'pdf' }, recipient: '甲资本' });
    expect(meta(built.html)).toMatch(/^<dt>致<\/dt><dd>甲资本<\/dd>/);
  });
});
