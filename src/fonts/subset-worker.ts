import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
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
/** Pieces of work that use the worker: it ends when the last is done, unless the last was in the background. */
let holds = 0;
/** Of those, the ones someone waits for: the worker keeps the process alive only for them. */
let awaited = 0;
/** After background work, the worker waits a while for the stage that wants its results. */
let spare: NodeJS.Timeout | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (subset: Buffer) => void; reject: (error: Error) => void }>();

function start(): Worker {
  // HarfBuzz with its baseline code only: V8 would otherwise recompile it with TurboFan on the other
  // core, just while Chromium starts there, for a few hundred milliseconds of subsetting (measured: a first build 0.4–0.5 s sooner).
  setFlagsFromString('--liftoff-only');
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

/** A worker that only background work uses must not keep a process from exiting (a letter with errors ends the build). */
function refWhileAwaited(): void {
  if (awaited > 0) worker?.ref();
  else worker?.unref();
}

async function endIfUnused(): Promise<void> {
  if (holds === 0 && spare === undefined && pending.size === 0 && worker) {
    const ended = worker;
    worker = undefined;
    await ended.terminate();
  }
}

async function holding<T>(work: () => Promise<T>, background: boolean): Promise<T> {
  holds++;
  if (!background) awaited++;
  clearTimeout(spare);
  spare = undefined;
  refWhileAwaited();
  try {
    return await work();
  } finally {
    holds--;
    if (!background) awaited--;
    refWhileAwaited();
    if (background && holds === 0 && worker) {
      spare = setTimeout(() => {
        spare = undefined;
        void endIfUnused();
      }, 10_000).unref();
    }
    await endIfUnused();
  }
}

/** Runs `work` with the subsetting worker kept alive throughout, and ends the worker afterwards unless someone else holds it. */
export function holdingSubsetter<T>(work: () => Promise<T>): Promise<T> {
  return holding(work, false);
}

/**
 * Runs `work` (cutting subsets ahead of need) without keeping the process
 * alive for it, and keeps the worker, with its HarfBuzz compiled, for 10 s
 * afterwards for the stage that will want more.
 */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return holding(work, true);
}

/** A WOFF subset of the font `file` holding `chars`, cut by HarfBuzz in the worker. Call inside holdingSubsetter or inBackground. */
export function cutInWorker(file: string, chars: string): Promise<Buffer> {
  if (!worker) {
    worker = start();
    refWhileAwaited();
  }
  const id = nextId++;
  const result = new Promise<Buffer>((resolve, reject) => pending.set(id, { resolve, reject }));
  worker.postMessage({ id, file, chars });
  return result;
}
