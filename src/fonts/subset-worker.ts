import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/*
 * HarfBuzz (WebAssembly, through subset-font) copies a 15 MB CJK face into its
 * heap, which grows to about 100 MB and never shrinks while its isolate lives.
 * So subsets are cut in a worker thread, one face at a time, and the worker is
 * ended when no one needs it: its heap is returned before Chromium prints.
 * (Inline source, so the bundled CLI needs no second entry file.)
 */
const source = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, fstatSync, openSync, readSync } = require('node:fs');
const subsetFont = require(workerData.subsetFont);
// Every face is read into the same buffer (HarfBuzz copies it and keeps no reference), not 15 MB more per face.
let scratch = Buffer.alloc(0);
function read(file) {
  const fd = openSync(file, 'r');
  try {
    const { size } = fstatSync(fd);
    if (scratch.length < size) scratch = Buffer.alloc(size);
    return scratch.subarray(0, readSync(fd, scratch, 0, size, 0));
  } finally {
    closeSync(fd);
  }
}
let queue = Promise.resolve();
parentPort.on('message', ({ id, file, chars }) => {
  queue = queue.then(async () => {
    // A warm-up: HarfBuzz compiled and its heap grown on a real face, the result thrown away.
    if (id === undefined) return void (await subsetFont(read(file), chars, { targetFormat: 'woff' }).catch(() => undefined));
    try {
      const subset = await subsetFont(read(file), chars, { targetFormat: 'woff' });
      const copy = new Uint8Array(subset);
      parentPort.postMessage({ id, subset: copy }, [copy.buffer]);
    } catch (error) {
      parentPort.postMessage({ id, error: String(error && error.message || error) });
    }
  });
});
`;

let worker: Worker | undefined;
let holds = 0;
/** A warm-up's hold, passed on to the next piece of work (or given up after a while). */
let spare: NodeJS.Timeout | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (subset: Buffer) => void; reject: (error: Error) => void }>();

function start(): Worker {
  const started = new Worker(source, { eval: true, workerData: { subsetFont: require.resolve('subset-font') } });
  started.on('message', ({ id, subset, error }: { id: number; subset?: Uint8Array; error?: string }) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (error !== undefined || !subset) waiting?.reject(new Error(`cutting a font subset failed: ${error ?? 'no result'}`));
    else waiting?.resolve(Buffer.from(subset.buffer, subset.byteOffset, subset.byteLength));
  });
  started.on('error', (error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
    worker = undefined;
  });
  return started;
}

async function endIfUnused(): Promise<void> {
  if (holds === 0 && spare === undefined && pending.size === 0 && worker) {
    const ended = worker;
    worker = undefined;
    await ended.terminate();
  }
}

/**
 * Starts the worker and readies HarfBuzz on `file` (its first cut in a
 * process costs half a second of compiling) while the Markdown stage runs.
 * The worker is then kept for the next holdingSubsetter, or ended after 10 s;
 * meanwhile it does not keep the process alive.
 */
export function warmSubsetter(file: string): void {
  if (worker) return;
  worker = start();
  worker.unref();
  worker.postMessage({ file, chars: '\u3002' });
  spare = setTimeout(() => {
    spare = undefined;
    void endIfUnused();
  }, 10_000).unref();
}

/** Runs `work` with the subsetting worker kept alive throughout, and ends the worker afterwards unless someone else holds it. */
export async function holdingSubsetter<T>(work: () => Promise<T>): Promise<T> {
  holds++;
  clearTimeout(spare);
  spare = undefined;
  worker?.ref();
  try {
    return await work();
  } finally {
    holds--;
    await endIfUnused();
  }
}

/** A subset of the font `file` holding `chars` (WOFF), cut by HarfBuzz in the worker. Call inside holdingSubsetter. */
export function cutInWorker(file: string, chars: string): Promise<Buffer> {
  worker ??= start();
  const id = nextId++;
  const result = new Promise<Buffer>((resolve, reject) => pending.set(id, { resolve, reject }));
  worker.postMessage({ id, file, chars });
  return result;
}
