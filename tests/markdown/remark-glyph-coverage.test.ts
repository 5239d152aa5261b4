import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const frontMatter = '---\ntitle: 测试\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n';

describe('glyph coverage', () => {
  it('fails on a character no bundled font has, naming it and its line', async () => {
    const file = new VFile({ path: 'content/letter.md', value: `${frontMatter}\n普通的一段。\n\n吉野家的“𠮷”字，还有私用区的 \ue000。\n` });
    await processMarkdown(file);
    const errors = file.messages.filter((m) => m.fatal).map((m) => `${m.line} ${m.reason}`);
    expect(errors).toEqual(['12 character “𠮷” (U+20BB7) is not in the bundled fonts', '12 character “\ue000” (U+E000) is not in the bundled fonts']);
  });

  it('passes the symbols of reports, which the symbol faces draw though the CJK faces do not', async () => {
    const symbols = '✅ ❌ ⚠ ★ → ✓ ✗ ☐ ☑ ▲ ▼ ● ○ ■ □ ◆ ← ↑ ↓ ↔ ⇒ ± × ÷ ≈ ≠ ≤ ≥ ∞ € £ ¥ ‰ °';
    const file = new VFile({ path: 'content/letter.md', value: `${frontMatter}\n进度：${symbols}\n\n## 标题 ✅ ★\n\n\`code ✓ ✗\`\n` });
    await processMarkdown(file);
    expect(file.messages.filter((m) => m.fatal).map((m) => m.reason)).toEqual([]);
  });

  it('checks the front matter too, since the letterhead prints it', async () => {
    const file = new VFile({ path: 'content/letter.md', value: frontMatter.replace('title: 测试', 'title: 𠮷') + '\n正文。\n' });
    await processMarkdown(file);
    expect(file.messages.filter((m) => m.fatal).map((m) => m.line)).toEqual([1]);
  });

  it('passes ordinary Chinese, Latin and full-width punctuation, and ignores zero-width characters', async () => {
    const file = new VFile({ path: 'content/letter.md', value: `${frontMatter}\n《拾象》说：“Scaling Law 仍然有效……”（2023 年）\u200b。\n` });
    await processMarkdown(file);
    expect(file.messages).toEqual([]);
  });
});
