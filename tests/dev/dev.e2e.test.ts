import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchViewer } from '../support/preview-viewer.ts';
import { processTree, stillRunning, waitFor } from '../support/processes.ts';
import { cli, nodeArgs } from '../support/run-cli.ts';

// Long enough (about 14 pages) that the pages in the reader's window are printed and shown first.
const appendix = Array.from({ length: 30 }, (_, i) => `第${i + 1}段：${'附录的文字，把这封信写到十几页长。'.repeat(30)}\n`);
const letter = ['---', 'title: 预览测试', 'recipients: LPs', 'date: 2024-01', 'author: 甲', 'organisation: 乙', 'confidentiality: 保密', '---', '', '## 第一部分', '', '初稿的文字。', '', '![图](chart.svg)', '', '## 第二部分', '', ...appendix].join('\n');
const chart = (width: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60"><rect width="${width}" height="60" fill="#6b1f1f"/></svg>`;

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('letterpress dev', () => {
  it('previews the letter, follows edits, shows errors over the last good pages, and leaves nothing running after Ctrl-C', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'letterpress-dev-test-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'letter.md');
    await writeFile(file, letter);
    await writeFile(path.join(dir, 'chart.svg'), chart(40));
    const childTmp = path.join(dir, 'tmp');
    await mkdir(childTmp);

    const child: ChildProcess = spawn(process.execPath, nodeArgs(cli, ['dev', 'letter.md']), { cwd: dir, env: { ...process.env, TMPDIR: childTmp } });
    cleanup.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', () => {
        const found = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (found?.[1]) resolve(found[1]);
      });
      void exited.then((code) => reject(new Error(`dev exited (${code}): ${stderr}`)));
    });

    const browser = await launchViewer();
    cleanup.push(() => browser.close());
    {
      const page: Page = await browser.newPage();
      await page.setViewport({ width: 1000, height: 700 });
      await page.goto(url);
      // On a timeout, the failure says what dev printed.
      const told = (error: unknown): never => {
        throw new Error(`${(error as Error).message}\n--- dev stdout:\n${stdout}\n--- dev stderr:\n${stderr}`);
      };
      // The pages are shown (version), then their text layers added (textVersion), which the checks below read.
      const shown = (version: number) =>
        page.waitForFunction((v) => document.body.dataset.version === String(v) && document.body.dataset.textVersion === String(v), { timeout: 90_000 }, version).catch(told);
      const pagesText = () => page.$eval('#pages', (e) => e.textContent ?? '');

      await shown(1);
      expect(await pagesText()).toContain('初稿的文字');
      expect(await page.$$eval('#pages .page canvas', (c) => c.length)).toBeGreaterThan(0);
      await page.evaluate(() => window.scrollTo(0, 400));

      await writeFile(file, letter.replace('初稿的文字', '修订稿的文字'));
      await shown(2);
      expect(await pagesText()).toContain('修订稿的文字');
      expect(await pagesText()).not.toContain('初稿的文字');
      // The reader stays where they were, and the pages in their window were printed and shown first.
      expect(await page.evaluate(() => window.scrollY)).toBe(400);
      expect(stderr).toMatch(/letter\.md: pages 1–\d+ shown first/);
      // This save's window was shown first; a save reaching the watcher as several events is built once.
      expect(await page.evaluate(() => document.body.dataset.windowVersion)).toBe('2');

      await writeFile(file, letter.replace('初稿的文字', '修订稿的文字').replace('date: 2024-01', 'date: 2024-13'));
      await page.waitForFunction(() => !(document.getElementById('problems') as HTMLElement).hidden, { timeout: 90_000 }).catch(told);
      expect(await page.$eval('#problems', (e) => e.textContent)).toMatch(/letter\.md:4:7 .*date/);
      expect(await pagesText()).toContain('修订稿的文字');
      expect(stderr).toMatch(/4:7\s+error/);

      await writeFile(file, letter.replace('初稿的文字', '第三稿的文字'));
      await shown(3);
      expect(await page.$eval('#problems', (e) => (e as HTMLElement).hidden)).toBe(true);
      expect(await pagesText()).toContain('第三稿的文字');

      // An image the letter uses is watched too.
      const before = await page.$eval('#pages canvas', (c) => (c as HTMLCanvasElement).toDataURL());
      await writeFile(path.join(dir, 'chart.svg'), chart(280));
      await shown(4);
      expect(await page.$eval('#pages canvas', (c) => (c as HTMLCanvasElement).toDataURL())).not.toBe(before);

      // A Chromium that stops (here killed) is started again, and the next save is shown.
      const chromium = processTree(childTmp).filter((p) => p.cmdline.includes('--user-data-dir=') && !p.cmdline.includes('--type='));
      expect(chromium).toHaveLength(1);
      if (process.platform === 'linux') expect(chromium[0]!.cmdline).toContain('--single-process');
      process.kill(chromium[0]!.pid, 'SIGKILL');
      await writeFile(file, letter.replace('初稿的文字', '第四稿的文字'));
      await shown(5);
      expect(await pagesText()).toContain('第四稿的文字');
      expect(stderr).toContain('Chromium stopped; starting it again');

      // The letter deleted and written again (as `git checkout` does) is still watched: each later save is shown.
      await rm(file);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await writeFile(file, letter.replace('初稿的文字', '第五稿的文字'));
      await shown(6);
      expect(await pagesText()).toContain('第五稿的文字');
      await writeFile(file, letter.replace('初稿的文字', '第六稿的文字'));
      await shown(7);
      expect(await pagesText()).toContain('第六稿的文字');
      // And replaced by a rename, as an editor's safe save does.
      await writeFile(path.join(dir, '.letter.md.swp'), letter.replace('初稿的文字', '第七稿的文字'));
      await rename(path.join(dir, '.letter.md.swp'), file);
      await shown(8);
      expect(await pagesText()).toContain('第七稿的文字');
    }

    // Every Chromium process of the session names its profile, in the child's own TMPDIR (or descends from one that does).
    const tree = processTree(childTmp);
    expect(tree.length).toBeGreaterThanOrEqual(3);
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    const survivors = await waitFor(() => (stillRunning(tree).length === 0 ? [] : undefined), 10_000);
    expect((survivors ?? stillRunning(tree)).map((p) => `${p.pid} ${p.cmdline.slice(0, 80)}`)).toEqual([]);
    // Chromium's profile folder is gone too.
    expect(readdirSync(childTmp).filter((name) => name.startsWith('letterpress-chromium-') || name.startsWith('puppeteer_dev_chrome_profile-'))).toEqual([]);
  });
});
