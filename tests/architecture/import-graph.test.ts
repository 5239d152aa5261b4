import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/run-cli.ts';

const src = path.join(projectRoot, 'src');

/** Every relative import of every module under src/, as [importing file, imported file], both relative to src/. */
function imports(): [string, string][] {
  const files = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name) && !e.name.endsWith('.d.mts'))
    .map((e) => path.join(e.parentPath, e.name));
  return files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map(
      (m): [string, string] => [path.relative(src, file), path.relative(src, path.resolve(path.dirname(file), m[1] ?? ''))],
    ),
  );
}

/** The folder of src/ a module lives in: `.` for the shared top-level modules, `api` for the library's entry points above everything. */
function folderOf(file: string): string {
  if (file === 'index.ts' || file === 'api.mjs') return 'api';
  return file.includes(path.sep) ? (file.split(path.sep)[0] ?? '.') : '.';
}

/** Cycles in a directed graph, each as the list of its nodes (Tarjan's strongly connected components of size > 1). */
export function cycles(edges: [string, string][]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const [a, b] of edges) {
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    if (a !== b) graph.get(a)?.add(b);
  }
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w !== undefined) {
          onStack.delete(w);
          component.push(w);
        }
      } while (w !== undefined && w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

describe('the import graph of src/', () => {
  const edges = imports();

  it('finds the imports it checks (the scan works)', () => {
    expect(edges.length).toBeGreaterThan(50);
    expect(edges).toContainEqual([path.join('pipeline', 'build-letter.ts'), path.join('html', 'render-document.ts')]);
  });

  it('has no cycle between folders: the stages import one way', () => {
    const folderEdges = edges.map(([a, b]): [string, string] => [folderOf(a), folderOf(b)]).filter(([a, b]) => a !== b);
    expect(cycles(folderEdges)).toEqual([]);
  });

  it('has no cycle between modules', () => {
    expect(cycles(edges)).toEqual([]);
  });

  it('keeps the core free of the commands: nothing below cli/ imports cli/', () => {
    const upward = edges.filter(([a, b]) => folderOf(a) !== 'cli' && folderOf(b) === 'cli');
    expect(upward).toEqual([]);
  });

  it('detects a cycle when there is one (the check can fail)', () => {
    expect(cycles([['markdown', 'html'], ['html', 'markdown'], ['html', 'config']])).toEqual([['html', 'markdown']]);
  });
});
