import { describe, expect, it } from 'vitest';
import { imageReferences, normaliseDialects } from '../../src/import/normalise-dialects.ts';

describe('dialect syntax normalised on import', () => {
  it('turns GitBook hints, Yuque containers and Notion asides into callouts, saying so at their lines', () => {
    const { text, changes } = normaliseDialects('{% hint style="warning" %}\n风险一\n\n风险二\n{% endhint %}\n:::tips 标题\n提示\n:::\n<aside>\n💡 已批准\n</aside>', 5);
    expect(text).toBe('> [!WARNING]\n> 风险一\n>\n> 风险二\n\n> [!TIP] 标题\n> 提示\n\n> [!NOTE]\n> 💡 已批准\n');
    expect(changes).toEqual([
      { line: 5, text: '{% hint style="warning" %} → callout [!WARNING]' },
      { line: 10, text: ':::tips 标题 → callout [!TIP]' },
      { line: 13, text: '<aside> (Notion callout) → callout [!NOTE]' },
    ]);
  });

  it('rewrites Hexo and Jekyll tags, drops [TOC], comments and block ids, and leaves code alone', () => {
    const source = '[TOC]\n{% asset_img chart.png 净值 %}\n![a]({{ site.baseurl }}/img/a.png)\n正文%%备注%%。 ^abc\n```\n{% raw %} %%x%%\n```\n{% include note.html %}';
    const { text, changes } = normaliseDialects(source, 1);
    expect(text).toBe('![净值](chart.png)\n![a](/img/a.png)\n正文。\n```\n{% raw %} %%x%%\n```\n{% include note.html %}');
    expect(changes.map((c) => `${c.line} ${c.text}`)).toEqual([
      '1 [TOC] removed (the letter prints its own table of contents)',
      '2 {% asset_img chart.png %} → image',
      '3 {{ site.baseurl }} removed',
      '4 Obsidian comment (%%…%%) removed',
      '4 Obsidian block id removed',
      '8 Liquid tag {% include %} left as written: rewrite it in Markdown',
    ]);
  });

  it('finds every image a body names: Markdown (with parentheses in the name), <img>, embeds', () => {
    expect(imageReferences('![x](../.gitbook/assets/image%20(1).png)\n<img src="a b.png" width="3">\n![[净值曲线.png|300]]', 1)).toEqual([
      { url: '../.gitbook/assets/image%20(1).png', line: 1 },
      { url: 'a b.png', line: 2 },
      { url: '净值曲线.png', line: 3 },
    ]);
  });
});
