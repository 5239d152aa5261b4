import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBrowser } from '../../src/chromium/browser.ts';
import { renderPdf } from '../../src/print/render-pdf.ts';
import { readPdf } from '../support/pdf.ts';

/** A server on loopback that counts every request it receives: rendering must send it none. */
let server: Server;
let hits: string[] = [];
let origin = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('body { color: red }');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('renderPdf', () => {
  it('sends no request anywhere and reads no file, whatever the HTML asks for', async () => {
    hits = [];
    const hostile = `<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="${origin}/style.css">
      <style>@import url("${origin}/import.css"); body { background: url("file:///etc/hostname"); }</style>
      </head><body>
      <p>正文 text</p>
      <img src="${origin}/pixel.png">
      <img src="file:///etc/passwd">
      <iframe src="${origin}/frame.html"></iframe>
      <script>fetch("${origin}/script"); document.body.append("SCRIPT-RAN");</script>
      </body></html>`;
    const { pdf, blockedRequests } = await withBrowser((browser) => renderPdf(browser, hostile));
    expect(hits).toEqual([]);
    // file: URLs never even reach the network layer from the page (Chromium refuses them for a non-file document).
    expect(blockedRequests.sort()).toEqual([`${origin}/frame.html`, `${origin}/import.css`, `${origin}/pixel.png`, `${origin}/style.css`]);
    const text = (await readPdf(pdf)).flatMap((p) => p.items.map((i) => i.str)).join('');
    expect(text).toContain('text');
    expect(text).not.toContain('SCRIPT-RAN');
  });

  it('lets the document load its own inline data', async () => {
    const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const { blockedRequests } = await withBrowser((browser) => renderPdf(browser, `<p>ok</p><img src="${pixel}">`));
    expect(blockedRequests).toEqual([]);
  });
});
