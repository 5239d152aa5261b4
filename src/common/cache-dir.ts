import path from 'node:path';
import { projectRoot } from './project-root.ts';

/** Where letterpress keeps what it can recompute by default: inside node_modules, which a clean clone does not have. */
export const defaultCacheRoot = path.join(projectRoot, 'node_modules', '.cache', 'letterpress');

let root = defaultCacheRoot;

/**
 * Where letterpress keeps what it can recompute (font subsets, TOC page
 * numbers). Deleting it only costs time. The core reads no environment: the
 * CLI sets another place from LETTERPRESS_CACHE_DIR (the bench and tests use it
 * to build cold); undefined restores the default.
 */
export function useCacheRoot(dir: string | undefined): void {
  root = dir ?? defaultCacheRoot;
}

export function cacheDir(kind: 'fonts' | 'toc'): string {
  return path.join(root, kind);
}
