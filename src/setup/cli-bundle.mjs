// The CLI and the library as bundled files (esbuild, see bundle.mjs): Node then
// loads a few files instead of hundreds of modules through tsx's loader.
// Rebuilt whenever anything under src/ or the lockfile changes. Plain Node with
// no static imports from node_modules: the installed command runs it first.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the bundle lives: beside the other caches of the project. */
export const bundleDir = path.join(root, 'node_modules', '.cache', 'letterpress', 'cli');

function sourceDigest() {
  const hash = createHash('sha256').update(readFileSync(path.join(root, 'package-lock.json')));
  const files = readdirSync(path.join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(path.relative(root, file)).update(readFileSync(file));
  return hash.digest('hex');
}

/** Bundles src/cli/main.ts, src/index.ts and the distribution's worker when the bundle is missing or stale; returns its folder. */
export async function ensureCliBundle() {
  const stamp = path.join(bundleDir, 'src.sha256');
  const digest = sourceDigest();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return bundleDir;
  // Built beside and renamed into place, so a concurrent run never loads half a bundle.
  const fresh = `${bundleDir}.${process.pid}.tmp`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh, { recursive: true });
  // Imported only now: it needs esbuild from node_modules, which may have just been installed.
  const { bundle } = await import('./bundle.mjs');
  // The distribution's worker threads load their own entry (src/distribute/copy-pool.ts finds it beside the chunks).
  await bundle([path.join(root, 'src', 'cli', 'main.ts'), path.join(root, 'src', 'index.ts'), path.join(root, 'src', 'distribute', 'copy-worker.ts')], fresh);
  writeFileSync(path.join(fresh, 'src.sha256'), digest);
  rmSync(bundleDir, { recursive: true, force: true });
  renameSync(fresh, bundleDir);
  return bundleDir;
}
