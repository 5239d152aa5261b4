import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultHouseStyle, fillLabel, preparedForLine } from '../../src/config/house-style-schema.ts';
import { loadHouseStyle } from '../../src/config/load-house-style.ts';
import { ContentError, UsageError } from '../../src/common/errors.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-house-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const write = (name: string, text: string | Buffer): Promise<void> => writeFile(path.join(dir, name), text);

/** The messages of a house style that does not load, as `line:column reason`. */
async function problems(yaml: string): Promise<string[]> {
  await write('letterpress.config.yaml', yaml);
  const error = await loadHouseStyle(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ContentError)) throw new Error(`expected a ContentError, got ${String(error)}`);
  return error.files.flatMap((f) => f.messages.map((m) => `${m.line}:${m.column} ${m.reason}`));
}

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';

describe('loadHouseStyle', () => {
  it('is the built-in design without a file, and with an empty one', async () => {
    expect(await loadHouseStyle(dir)).toEqual(defaultHouseStyle);
    await write('letterpress.config.yaml', '# nothing yet\n');
    expect(await loadHouseStyle(dir)).toEqual(defaultHouseStyle);
  });

  it('gives Chinese labels to Chinese letters and today’s English ones to English letters by default', () => {
    expect(defaultHouseStyle.labels.zh).toMatchObject({ to: '致', date: '日期', toc: '目录', preparedFor: '谨呈 {name}' });
    expect(defaultHouseStyle.labels.en).toMatchObject({ to: 'To:', date: 'Date:', toc: 'Contents', preparedFor: 'Prepared for {name}', page: '第 {n} 页 / 共 {N} 页' });
    expect(defaultHouseStyle).toMatchObject({ accent: '#6b1f1f', paper: 'a4', faces: { body: 'Noto Serif SC', headings: 'Noto Sans SC' } });
  });

  it('fills in what is set and keeps the defaults of the rest', async () => {
    await write('letterpress.config.yaml', 'accent: "#0a5c36"\nlabels:\n  zh:\n    to: 呈送\npaper: letter\nencryption: [print-low, copy]\npdfx: fogra39\n');
    const house = await loadHouseStyle(dir);
    expect(house.accent).toBe('#0a5c36');
    expect(house.labels.zh).toMatchObject({ to: '呈送', date: '日期' });
    expect(house.paper).toBe('letter');
    expect(house.encryption).toEqual(['print-low', 'copy']);
    expect(house.pdfx).toBe('fogra39');
    expect(defaultHouseStyle).toMatchObject({ encryption: ['print'], pdfx: 'us-swop' });
  });

  it('places each problem at its line and column', async () => {
    expect(await problems('accent: red\nfaces:\n  body: Comic Sans\n  heading: Noto Sans SC\nlabels:\n  zh:\n    preparedFor: 谨呈\n')).toEqual([
      '1:9 house-style key `accent` must be a colour as #rgb or #rrggbb',
      '3:9 house-style key `faces.body` Invalid option: expected one of "Noto Serif SC"|"Noto Sans SC"',
      '4:3 unknown house-style key `faces.heading`',
      '7:18 house-style key `labels.zh.preparedFor` must hold `{name}`, where the recipient’s name goes',
    ]);
    expect(await problems('accent: [1\n')).toEqual([expect.stringMatching(/^2:1 invalid YAML/)]);
    expect(await problems('- a\n- b\n')).toEqual(['1:1 the house style must be a YAML mapping of `key: value` lines']);
  });

  it('reads the logo from the project, checked like a letter’s images', async () => {
    await mkdir(path.join(dir, 'assets'));
    await write('assets/logo.svg', svg);
    await write('letterpress.config.yaml', 'organisation:\n  name: 甲资本\n  logo: assets/logo.svg\n');
    const house = await loadHouseStyle(dir);
    expect(house.organisation.name).toBe('甲资本');
    expect(house.logoUrl).toBe(`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);

    await write('assets/script.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(await problems('organisation:\n  logo: assets/script.svg\n')).toEqual([expect.stringMatching(/^2:9 logo `assets\/script.svg` .*script/)]);
    await write('assets/fake.png', 'not a png');
    expect(await problems('organisation:\n  logo: assets/fake.png\n')).toEqual(['2:9 logo `assets/fake.png` is not a PNG image (its bytes do not start as one)']);
    expect(await problems('organisation:\n  logo: assets/logo.gif\n')).toEqual(['2:9 logo `assets/logo.gif` is not a PNG or SVG image (by its name)']);
    expect(await problems('organisation:\n  logo: ../outside.svg\n')).toEqual([expect.stringMatching(/^2:9 logo `..\/outside.svg` is outside the project/)]);
    expect(await problems('organisation:\n  logo: assets/none.svg\n')).toEqual([expect.stringMatching(/^2:9 logo `assets\/none.svg` not found/)]);
  });

  it('refuses a logo that links out of the project', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'letterpress-outside-'));
    try {
      await writeFile(path.join(outside, 'logo.svg'), svg);
      await symlink(path.join(outside, 'logo.svg'), path.join(dir, 'logo.svg'));
      expect(await problems('organisation:\n  logo: logo.svg\n')).toEqual([expect.stringMatching(/^2:9 logo `logo.svg` is a link to a file outside the project/)]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('wants the file that --config names', async () => {
    await expect(loadHouseStyle(dir, 'house.yaml')).rejects.toThrow(UsageError);
    await write('house.yaml', 'accent: "#123"\n');
    expect((await loadHouseStyle(dir, 'house.yaml')).accent).toBe('#123');
  });
});

describe('labels', () => {
  it('fill in the recipient and page numbers', () => {
    expect(preparedForLine(defaultHouseStyle, 'zh-CN', '甲资本')).toBe('谨呈 甲资本');
    expect(preparedForLine(defaultHouseStyle, 'en', 'Fund A')).toBe('Prepared for Fund A');
    expect(fillLabel('第 {n} 页 / 共 {N} 页', { n: '2', N: '9' })).toBe('第 2 页 / 共 9 页');
  });
});
