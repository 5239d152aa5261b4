// One bundling recipe for the CLI (set-up) and the benchmark's floor, so both run the same way.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Bundles the entries and their dependencies into `outdir` (each entry as
 * `<name>.mjs`, shared code in chunks): Node then reads a few files instead of hundreds of small
 * modules. Dynamic imports become chunks of their own, loaded when reached, so
 * a command can start Chromium before the pipeline's code is even parsed.
 * Left outside: Puppeteer (it resolves its own files at run time), subset-font
 * (it loads HarfBuzz's .wasm beside it) and esbuild itself.
 */
export async function bundle(entries, outdir) {
  const esbuild = await import(pathToFileURL(createRequire(path.join(root, 'package.json')).resolve('esbuild')).href);
  await esbuild.build({
    entryPoints: entries,
    outdir,
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['puppeteer-core', '@puppeteer/browsers', 'subset-font', 'esbuild'],
    // CommonJS dependencies call require(); an ESM bundle has none of its own.
    banner: { js: "import { createRequire as __letterpressRequire } from 'node:module'; const require = __letterpressRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}
