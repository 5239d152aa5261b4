import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/common/errors.ts';
import { startPreviewServer, type PreviewServer } from '../../src/dev/preview-server.ts';

let server: PreviewServer;
let port: number;
beforeAll(async () => {
  server = await startPreviewServer({ port: 0, title: 'letter' });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.close();
});

/** A raw request: the path goes out exactly as written (fetch would normalise `..`). */
function get(target: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the preview server', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
  });

  it('serves every face its stylesheet declares, TrueType from the bundled packages: the overlay needs no Chinese font on the machine', async () => {
    const css = (await get('/preview.css')).body;
    const urls = [...css.matchAll(/url\((\/fonts\/[^)]+)\)/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(3);
    for (const url of urls) {
      const font = await get(url);
      expect(font.status, url).toBe(200);
      expect(font.body.slice(0, 4), url).toBe('\0\x01\0\0');
    }
    expect(css).toMatch(/#problems \{[^}]*font: 14px\/1.5 "Noto Sans Mono", "Noto Sans SC"/);
  });

  it('serves the viewer page, its script and pdf.js', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="/preview.js"></script>');
    expect((await get('/preview.js')).body).toContain("from '/pdfjs/pdf.min.mjs'");
    expect((await get('/pdfjs/pdf.worker.min.mjs')).status).toBe(200);
  });

  it('serves the letter only once a build gave one, and then its exact bytes', async () => {
    expect((await get('/letter.pdf')).status).toBe(404);
    server.publish({ version: 1, problems: [] }, new TextEncoder().encode('%PDF-1.7 test'));
    expect(await get('/letter.pdf?v=1')).toEqual({ status: 200, body: '%PDF-1.7 test' });
  });

  it('serves the pages printed first only for their own build, and keeps the letter as it was meanwhile', async () => {
    server.publish({ version: 2, problems: [], pages: { first: 3, last: 4 } }, new TextEncoder().encode('%PDF-1.7 pages 3-4'));
    expect(await get('/pages.pdf?v=2')).toEqual({ status: 200, body: '%PDF-1.7 pages 3-4' });
    for (const target of ['/pages.pdf', '/pages.pdf?v=1', '/pages.pdf?v=3', '/pages.pdf?v=2x']) expect([target, (await get(target)).status]).toEqual([target, 404]);
    expect((await get('/letter.pdf')).body).toBe('%PDF-1.7 test');
  });

  it('takes the reader’s window as two page numbers, and nothing else', async () => {
    expect(server.viewing()).toBeUndefined();
    for (const target of ['/viewing', '/viewing?first=3&last=4', '/viewing?first=0&last=2&of=9', '/viewing?first=4&last=3&of=9', '/viewing?first=1e3&last=2000&of=3000', '/viewing?first=-1&last=2&of=9', '/viewing?first=1&last=9999999&of=9999999', '/viewing?first=3&last=4&of=3']) {
      expect([target, (await get(target)).status]).toEqual([target, 400]);
    }
    expect(server.viewing()).toBeUndefined();
    expect((await get('/viewing?first=3&last=4&of=151')).status).toBe(204);
    expect(server.viewing()).toEqual({ first: 3, last: 4, of: 151 });
  });

  it('is told which build a page has on screen, as one version number, and wakes whoever waits for it', async () => {
    for (const target of ['/shown', '/shown?v=', '/shown?v=0', '/shown?v=-1', '/shown?v=1e3', '/shown?v=2x', '/shown?v=9999999999']) {
      expect([target, (await get(target)).status]).toEqual([target, 400]);
    }
    const started = performance.now();
    const waited = server.shown(7, 10_000);
    expect((await get('/shown?v=6')).status).toBe(204);
    expect((await get('/shown?v=7')).status).toBe(204);
    await waited;
    expect(performance.now() - started).toBeLessThan(5_000);
    // Shown already: at once; never shown: after the time given.
    await server.shown(5, 10_000);
    const alone = performance.now();
    await server.shown(8, 50);
    expect(performance.now() - alone).toBeGreaterThanOrEqual(45);
  });

  it('answers nothing else: no listing, no path outside, however it is spelt', async () => {
    for (const target of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E%2Fpackage.json',
      '/pdfjs/../../package.json',
      '/pdfjs/%2e%2e/%2e%2e/package.json',
      '/pdfjs/..%2f..%2fpackage.json',
      '/preview.js/../../../package.json',
      '//etc/passwd',
      '/etc/passwd',
      '/work/wt/f-lint/package.json',
      'http://127.0.0.1/../package.json',
      '/pdfjs/',
      '/src/dev/',
      '/node_modules/pdfjs-dist/package.json',
      '/preview.js%00',
      '/PREVIEW.JS',
    ]) {
      const { status, body } = await get(target);
      expect([target, status]).toEqual([target, 404]);
      expect(body).toBe('not found');
    }
  });

  it('says in one line, as a usage error (exit 2), that the port asked for is taken', async () => {
    const taken = startPreviewServer({ port, title: 'letter' });
    await expect(taken).rejects.toThrow(`port ${port} on 127.0.0.1 is in use: choose another with --port, or leave --port out for a free one`);
    expect(await taken.catch((error: unknown) => exitCodeFor(error))).toBe(2);
  });

  it('refuses another Host (DNS rebinding) and methods other than GET and HEAD', async () => {
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(403);
    expect((await get('/', { method: 'POST' })).status).toBe(405);
    expect((await get('/', { method: 'HEAD' })).body).toBe('');
  });
});
