import type { Root } from 'mdast';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InterruptedError } from '../common/errors.ts';
import { markdownSyntax } from './markdown-syntax.ts';

const require = createRequire(import.meta.url);

/*
 * micromark parses synchronously: while it reads a long letter (up to several
 * seconds at the size and nesting limits) the command's thread cannot see a
 * Ctrl-C. A long letter is therefore parsed in a worker thread, which the
 * signal ends at once. (Inline source, so the bundled CLI needs no second entry file;
 * the worker loads the same syntax plugins, by package, from node_modules.)
 */
const source = `
const { parentPort, workerData } = require('node:worker_threads');
const ready = (async () => {
  const { unified } = await import(workerData.unified);
  const processor = unified();
  for (const [url, options] of workerData.syntax) {
    const plugin = (await import(url)).default;
    if (options === undefined) processor.use(plugin);
    else processor.use(plugin, options);
  }
  return processor;
})();
parentPort.once('message', async (text) => {
  try {
    parentPort.postMessage({ tree: (await ready).parse(text) });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.stack) || error) });
  }
});
`;

const moduleUrl = (name: string): string => pathToFileURL(require.resolve(name)).href;

/**
 * Parses `text` to mdast in a worker thread; Ctrl-C or SIGTERM, or `signal`
 * (the command's, which a signal before the parse began has aborted already),
 * ends the worker and rejects with an InterruptedError.
 */
export function parseInWorker(text: string, signal?: AbortSignal): Promise<Root> {
  if (signal?.aborted) return Promise.reject(new InterruptedError());
  const worker = new Worker(source, {
    eval: true,
    workerData: { unified: moduleUrl('unified'), syntax: markdownSyntax.map(([name, , options]) => [moduleUrl(name), options]) },
  });
  return new Promise<Root>((resolve, reject) => {
    const onSignal = (): void => {
      settle();
      reject(new InterruptedError());
    };
    const settle = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      signal?.removeEventListener('abort', onSignal);
      void worker.terminate();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    signal?.addEventListener('abort', onSignal, { once: true });
    worker.once('message', ({ tree, error }: { tree?: Root; error?: string }) => {
      settle();
      if (tree) resolve(tree);
      else reject(new Error(`parsing the letter failed: ${error ?? 'no result'}`));
    });
    worker.once('error', (error) => {
      settle();
      reject(error);
    });
    // Ended without an answer (out of memory): a bug, reported as one.
    worker.once('exit', (code) => reject(new Error(`parsing the letter failed: its worker ended with code ${code}`)));
    worker.postMessage(text);
  });
}
