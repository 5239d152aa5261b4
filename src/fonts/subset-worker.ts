import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/*
 * HarfBuzz (WebAssembly, through subset-font) copies a 15 MB CJK face into its
 * heap, which grows to about 100 MB and never shrinks while its isolate lives.
 * So subsets are cut in a worker thread, one face at a time, and the worker is
 * ended when no one needs it: its heap is returned before Chromium prints.
 *
 * Each subset comes back twice, as WOFF. First for the print, compressed by
 * Node's zlib in a few milliseconds; then for the files, by pako as
 * subset-font does (a third of the work of a cut, done while Chromium prints):
 * the files' bytes must not depend on the zlib that Node was built with, and
 * Chromium's PDF is the same from either. Cuts go before the files' WOFF.
 * (Inline source, so the bundled CLI needs no second entry file.)
 */
const source = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, fstatSync, openSync, readSync } = require('node:fs');
const { deflateSync } = require('node:zlib');
const subsetFont = require(workerData.subsetFont);
const { toWoff } = require(workerData.sfntToWoff);
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
// WOFF 1.0 (W3C): a 44-byte header, a 20-byte entry per table, each table's data 4-byte aligned, zlib-compressed when that is smaller.
function quickWoff(sfnt) {
  const count = sfnt.readUInt16BE(4);
  let sfntSize = 12 + 16 * count;
  let size = 44 + 20 * count;
  const tables = [];
  for (let i = 0; i < count; i++) {
    const entry = 12 + 16 * i;
    const offset = sfnt.readUInt32BE(entry + 8);
    const length = sfnt.readUInt32BE(entry + 12);
    const plain = sfnt.subarray(offset, offset + length);
    const packed = deflateSync(plain, { level: 1 });
    const data = packed.length < length ? packed : plain;
    tables.push({ entry, length, data, at: size });
    sfntSize += (length + 3) & ~3;
    size += (data.length + 3) & ~3;
  }
  const woff = Buffer.alloc(size);
  woff.write('wOFF', 0, 'latin1');
  sfnt.copy(woff, 4, 0, 4);
  woff.writeUInt32BE(size, 8);
  woff.writeUInt16BE(count, 12);
  woff.writeUInt32BE(sfntSize, 16);
  tables.forEach(({ entry, length, data, at }, i) => {
    const dir = 44 + 20 * i;
    sfnt.copy(woff, dir, entry, entry + 4);
    woff.writeUInt32BE(at, dir + 4);
    woff.writeUInt32BE(data.length, dir + 8);
    woff.writeUInt32BE(length, dir + 12);
    sfnt.copy(woff, dir + 16, entry + 4, entry + 8);
    data.copy(woff, at);
  });
  return woff;
}
function send(id, kind, bytes) {
  const copy = new Uint8Array(bytes);
  parentPort.postMessage({ id, kind, data: copy }, [copy.buffer]);
}
const cuts = [];
const packs = [];
let busy = false;
async function work() {
  if (busy) return;
  busy = true;
  while (cuts.length > 0 || packs.length > 0) {
    const cut = cuts.shift();
    const pack = cut ? undefined : packs.shift();
    try {
      if (cut) {
        const sfnt = await subsetFont(read(cut.file), cut.chars, { targetFormat: 'sfnt' });
        send(cut.id, 'print', quickWoff(sfnt));
        packs.push({ id: cut.id, sfnt });
      } else send(pack.id, 'file', toWoff(pack.sfnt));
    } catch (error) {
      parentPort.postMessage({ id: (cut || pack).id, error: String(error && error.message || error) });
    }
    // Messages (new cuts) are taken in between.
    await new Promise((resolve) => setImmediate(resolve));
  }
  busy = false;
}
parentPort.on('message', (cut) => {
  cuts.push(cut);
  void work();
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
interface Waiting {
  print: Deferred;
  file: Deferred;
}
interface Deferred {
  resolve: (subset: Buffer) => void;
  reject: (error: Error) => void;
}
/** Subsets asked for and not yet returned for the files. */
const pending = new Map<number, Waiting>();

function start(): Worker {
  // HarfBuzz with its baseline code only: V8 would otherwise recompile it with TurboFan on the other
  // core, just while Chromium starts there, for a few hundred milliseconds of subsetting (measured: a first build 0.4–0.5 s sooner).
  setFlagsFromString('--liftoff-only');
  const subsetFont = require.resolve('subset-font');
  // The WOFF writer subset-font itself uses (through fontverter), so the files keep their bytes.
  const sfntToWoff = createRequire(createRequire(subsetFont).resolve('fontverter')).resolve('woff2sfnt-sfnt2woff');
  const started = new Worker(source, { eval: true, workerData: { subsetFont, sfntToWoff } });
  started.on('message', ({ id, kind, data, error }: { id: number; kind?: keyof Waiting; data?: Uint8Array; error?: string }) => {
    const waiting = pending.get(id);
    if (!waiting) return;
    if (error !== undefined || !data || !kind) {
      pending.delete(id);
      const failure = new Error(`cutting a font subset failed: ${error ?? 'no result'}`);
      waiting.print.reject(failure);
      waiting.file.reject(failure);
    } else {
      waiting[kind].resolve(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      if (kind === 'file') {
        pending.delete(id);
        void endIfUnused();
      }
    }
  });
  started.on('error', (error) => {
    for (const waiting of pending.values()) {
      waiting.print.reject(error);
      waiting.file.reject(error);
    }
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

function deferred(): { promise: Promise<Buffer>; settle: Deferred } {
  let settle!: Deferred;
  const promise = new Promise<Buffer>((resolve, reject) => {
    settle = { resolve, reject };
  });
  return { promise, settle };
}

/**
 * A subset of the font `file` holding `chars`, cut by HarfBuzz in the worker:
 * the WOFF to print, and a little later the WOFF to write (see the worker's
 * source). Call inside holdingSubsetter or inBackground; the worker lives
 * until the second is made.
 */
export function cutInWorker(file: string, chars: string): { print: Promise<Buffer>; file: Promise<Buffer> } {
  if (!worker) {
    worker = start();
    refWhileAwaited();
  }
  const id = nextId++;
  const print = deferred();
  const written = deferred();
  pending.set(id, { print: print.settle, file: written.settle });
  worker.postMessage({ id, file, chars });
  return { print: print.promise, file: written.promise };
}
