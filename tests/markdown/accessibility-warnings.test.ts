import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VFile } from 'vfile';
import { beforeAll, describe, expect, it } from 'vitest';
import { processMarkdown } from '../../src/markdown/process-markdown.ts';

const frontMatter = '---\ntitle: 图\nrecipients: LPs\ndate: 2024-01\nauthor: 拾象\norganisation: 拾象\nconfidentiality: 保密\n---\n';
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'letterpress-alt-'));
  await mkdir(path.join(cwd, 'content'), { recursive: true });
  await writeFile(path.join(cwd, 'content', 'chart.png'), png);
});

async function messages(body: string): Promise<string[]> {
  const file = new VFile({ path: 'content/letter.md', cwd, value: `${frontMatter}\n${body}` });
  await processMarkdown(file);
  return file.messages.map((m) => `${m.line}:${m.column} ${m.fatal ? 'error' : 'warning'} ${m.ruleId} ${m.reason}`);
}

describe('images without alternative text', () => {
  it('warn at the image’s line and column, and the letter still builds', async () => {
    expect(await messages('正文。\n\n前文 ![](chart.png) 后文\n')).toEqual([
      '12:4 warning image-alt image `chart.png` has no alternative text: write what it shows in ![…](chart.png) for readers who cannot see it',
    ]);
  });

  it('say nothing when the image is described', async () => {
    expect(await messages('![训练成本逐代上升](chart.png)\n')).toEqual([]);
  });
});

describe('skipped heading levels', () => {
  it('warn at the heading that skips a level; the highest level used is the parts, whatever it is', async () => {
    expect(await messages('## 一\n\n#### 二\n\n### 三\n\n## 四\n')).toEqual(['12:1 warning heading-level heading level 4 follows level 2: use ### so no level is skipped']);
    expect(await messages('### 开头\n')).toEqual([]);
    expect(await messages('# 一\n\n### 二\n')).toEqual(['12:1 warning heading-level heading level 3 follows level 1: use ## so no level is skipped']);
  });
});
