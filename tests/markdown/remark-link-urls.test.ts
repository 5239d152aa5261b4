import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { serializeHtml } from '../../src/html/render-document.ts';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const frontMatter = '---\ntitle: 链接\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n';

async function run(body: string): Promise<{ html: string; errors: string[] }> {
  const file = new VFile({ path: 'content/letter.md', value: `${frontMatter}\n${body}` });
  const html = serializeHtml(await processMarkdown(file));
  return { html, errors: file.messages.filter((m) => m.fatal).map((m) => `${m.line}:${m.column} ${m.reason}`) };
}

const reason = 'is not an http, https or mailto address: letters may only link to the web, to mail or within the letter';

describe('link addresses', () => {
  it('keeps web, mail and in-letter links', async () => {
    const { html, errors } = await run('[a](https://example.com/) [b](mailto:ir@example.com) [c](#part)\n');
    expect(errors).toEqual([]);
    expect(html).toBe('<p><a href="https://example.com/">a</a> <a href="mailto:ir@example.com">b</a> <a href="#part">c</a></p>');
  });

  it('reports javascript:, file:, data: and protocol-relative links at their position and keeps only their text', async () => {
    const { html, errors } = await run('[a](javascript:alert(1)) [b](file:///etc/passwd) [c](//evil.example/) [d](data:text/html,x)\n\n[e][r]\n\n[r]: <JaVa\tscript:x>\n');
    expect(errors).toEqual([
      `10:1 link \`javascript:alert(1)\` ${reason}`,
      `10:26 link \`file:///etc/passwd\` ${reason}`,
      `10:50 link \`//evil.example/\` ${reason}`,
      `10:71 link \`data:text/html,x\` ${reason}`,
      `14:1 link \`JaVa\tscript:x\` ${reason}`,
    ]);
    expect(html).toBe('<p>a b c d</p>\n<p>[e][r]</p>');
  });
});
