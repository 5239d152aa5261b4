import path from 'node:path';
import { projectRoot } from './project-root.ts';

/**
 * Where letterpress keeps what it can recompute (font subsets, TOC page
 * numbers): node_modules/.cache/letterpress, or LETTERPRESS_CACHE_DIR (tests
 * use it to build cold). Deleting it only costs time.
 */
export function cacheDir(kind: 'fonts' | 'toc'): string {
  return path.join(process.env.LETTERPRESS_CACHE_DIR ?? path.join(projectRoot, 'node_modules', '.cache', 'letterpress'), kind);
}
