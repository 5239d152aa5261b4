import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UsageError } from '../common/errors.ts';
import { bundledFaces } from '../fonts/font-faces.ts';
import { projectRoot } from '../common/project-root.ts';
import { previewCsp, previewPage } from './preview-page.ts';
import type { PageWindow, PreviewState } from './preview-state.ts';

interface Asset {
  type: string;
  body: () => Promise<Uint8Array | string | undefined>;
}

export interface PreviewServer {
  url: string;
  /**
   * Tells every open preview about a new state, and serves `pdf` from now on
   * when given: the whole letter at `/letter.pdf`, or, when the state names
   * `pages`, just those at `/pages.pdf?v=<version>`.
   */
  publish(state: PreviewState, pdf?: Uint8Array): void;
  /** The pages the reader last reported having in their window, if any. */
  viewing(): PageWindow | undefined;
  /** Resolves once a page has reported build `version`'s pages on its screen (`/shown?v=`), or after `withinMs`. */
  shown(version: number, withinMs: number): Promise<void>;
  close(): Promise<void>;
}

/** The bundled faces preview.css declares, at the paths it names them by. */
const previewFonts = [
  { url: '/fonts/noto-sans-sc-400.ttf', face: bundledFace('Noto Sans SC', 400) },
  { url: '/fonts/noto-sans-sc-700.ttf', face: bundledFace('Noto Sans SC', 700) },
  { url: '/fonts/noto-sans-mono-400.ttf', face: bundledFace('Noto Sans Mono', 400) },
];

function bundledFace(family: string, weight: number) {
  const face = bundledFaces.find((f) => f.family === family && f.weight === weight && f.style === 'normal');
  if (!face) throw new Error(`no bundled face ${family} ${weight}`);
  return face;
}

const pdfjsDir = path.dirname(createRequire(path.join(projectRoot, 'package.json')).resolve('pdfjs-dist/package.json'));
const devDir = path.join(projectRoot, 'src/dev');

/**
 * Serves the preview on 127.0.0.1 only. It answers exactly the paths listed
 * here (compared as written, before any decoding or normalising), so no request
 * can name a folder, another file, or a path outside: everything else is 404.
 * A Host other than the server's own is refused (no DNS rebinding).
 */
export async function startPreviewServer(options: { port: number; title: string }): Promise<PreviewServer> {
  let state: PreviewState = { version: 0, problems: [] };
  let pdf: Uint8Array | undefined;
  let early: { version: number; pdf: Uint8Array } | undefined;
  let readerWindow: PageWindow | undefined;
  let shownVersion = 0;
  const onShown = new Set<() => void>();
  const listeners = new Set<ServerResponse>();
  const file = (name: string) => () => readFile(name);
  const assets = new Map<string, Asset>([
    ['/', { type: 'text/html; charset=utf-8', body: async () => previewPage(options.title) }],
    ['/preview.js', { type: 'text/javascript; charset=utf-8', body: file(path.join(devDir, 'preview-client.js')) }],
    ['/preview.css', { type: 'text/css; charset=utf-8', body: file(path.join(devDir, 'preview.css')) }],
    ['/pdfjs/pdf.min.mjs', { type: 'text/javascript; charset=utf-8', body: file(path.join(pdfjsDir, 'build/pdf.min.mjs')) }],
    ['/pdfjs/pdf.worker.min.mjs', { type: 'text/javascript; charset=utf-8', body: file(path.join(pdfjsDir, 'build/pdf.worker.min.mjs')) }],
    ['/pdfjs/pdf_viewer.css', { type: 'text/css; charset=utf-8', body: file(path.join(pdfjsDir, 'web/pdf_viewer.css')) }],
    ['/letter.pdf', { type: 'application/pdf', body: async () => pdf }],
    // The page's own faces (preview.css), whole: the problems it shows can hold any character, and the machine may have no Chinese font.
    ...previewFonts.map(({ url, face }): [string, Asset] => [url, { type: 'font/ttf', body: file(face.file) }]),
  ]);

  const server: Server = createServer((request, response) => {
    void answer(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const port = (server.address() as AddressInfo).port;
    if (request.headers.host !== `127.0.0.1:${port}` && request.headers.host !== `localhost:${port}`) return end(response, 403, 'forbidden host');
    if (request.method !== 'GET' && request.method !== 'HEAD') return end(response, 405, 'method not allowed');
    const [pathname = '', query = ''] = (request.url ?? '').split('?');
    if (pathname === '/events') return subscribe(response);
    if (pathname === '/viewing') return view(new URLSearchParams(query), response);
    if (pathname === '/shown') return reportShown(new URLSearchParams(query), response);
    if (pathname === '/pages.pdf') {
      // Only the pages of the version asked for: a newer build's would go to the wrong places.
      if (!early || new URLSearchParams(query).get('v') !== String(early.version)) return end(response, 404, 'not found');
      return send200(response, request, 'application/pdf', early.pdf);
    }
    const asset = assets.get(pathname);
    const body = await asset?.body();
    if (!asset || body === undefined) return end(response, 404, 'not found');
    send200(response, request, asset.type, body);
  }

  /** The reader's window, `?first=N&last=M&of=P` (page numbers, and the pages shown); anything else is refused and changes nothing. */
  function view(params: URLSearchParams, response: ServerResponse): void {
    const [first, last, of] = ['first', 'last', 'of'].map((key) => params.get(key)).map((v) => (v !== null && /^[1-9]\d{0,5}$/.test(v) ? Number(v) : undefined));
    if (first === undefined || last === undefined || of === undefined || last < first || of < last) return end(response, 400, 'bad window');
    readerWindow = { first, last, of };
    response.writeHead(204);
    response.end();
  }

  /** `?v=N`: the page has build N's pages on its screen. Anything else is refused and changes nothing. */
  function reportShown(params: URLSearchParams, response: ServerResponse): void {
    const v = params.get('v');
    if (v === null || !/^[1-9]\d{0,8}$/.test(v)) return end(response, 400, 'bad version');
    shownVersion = Math.max(shownVersion, Number(v));
    for (const wake of onShown) wake();
    response.writeHead(204);
    response.end();
  }

  function subscribe(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    listeners.add(response);
    response.on('close', () => listeners.delete(response));
    send(response);
  }

  function send(response: ServerResponse): void {
    response.write(`event: state\ndata: ${JSON.stringify(state)}\n\n`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      // A port taken or not allowed is the user's to change, not a bug.
      if (error.code === 'EADDRINUSE') reject(new UsageError(`port ${options.port} on 127.0.0.1 is in use: choose another with --port, or leave --port out for a free one`));
      else if (error.code === 'EACCES') reject(new UsageError(`port ${options.port} on 127.0.0.1 may not be used by this user: choose one above 1023 with --port, or leave --port out`));
      else reject(error);
    });
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    publish(next, nextPdf) {
      state = next;
      if (nextPdf && next.pages) early = { version: next.version, pdf: nextPdf };
      else if (nextPdf) pdf = nextPdf;
      for (const response of listeners) send(response);
    },
    viewing: () => readerWindow,
    shown: (version, withinMs) =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          onShown.delete(check);
          resolve();
        };
        const check = (): void => {
          if (shownVersion >= version) done();
        };
        const timer = setTimeout(done, withinMs);
        onShown.add(check);
        check();
      }),
    async close() {
      for (const response of listeners) response.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send200(response: ServerResponse, request: IncomingMessage, type: string, body: Uint8Array | string): void {
  response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', 'content-security-policy': previewCsp, 'x-content-type-options': 'nosniff' });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function end(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}
