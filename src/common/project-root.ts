import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root folder (where package.json names letterpress), found by
 * walking up from this module: the same whether it runs from src/ or from the
 * CLI bundle in node_modules/.cache/letterpress/.
 */
function findProjectRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'letterpress') return dir;
    if (path.dirname(dir) === dir) throw new Error('letterpress: cannot find its own package.json above this file');
  }
}

export const projectRoot = findProjectRoot();
