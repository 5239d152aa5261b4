import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { QpdfJson, text, type Dict } from '../support/qpdf-json.ts';
import { buildFileInProcess, sharedBrowser } from '../support/in-process.ts';
import { projectRoot } from '../support/run-cli.ts';

/** PDF/UA-1 properties of the PDFs letterpress prints, read from the structure tree by qpdf. */
const letters = [
  { name: 'memo', source: path.join(projectRoot, 'content/2023-12-llm-observations.md'), pdf: '' },
  { name: 'letter with images, tables, notes', source: path.join(projectRoot, 'tests/fixtures/typography/letter/input.md'), pdf: '' },
];

const browser = sharedBrowser();

beforeAll(async () => {
  const out = await mkdtemp(path.join(os.tmpdir(), 'letterpress-a11y-'));
  await browser.use((chromium) => buildFileInProcess(chromium, letters[1]?.source ?? '', out));
  (letters[0] ?? (undefined as never)).pdf = path.join(inject('memoOut'), '2023-12-llm-observations.pdf');
  (letters[1] ?? (undefined as never)).pdf = path.join(out, 'input.pdf');
});

interface Element {
  type: string;
  dict: Dict;
  kids: Element[];
}

/** The structure tree in document order. */
function structureTree(q: QpdfJson): Element {
  const walk = (value: unknown): Element[] => {
    const items = Array.isArray(value) ? value : [value];
    return items.flatMap((item) => {
      if (typeof item === 'number' || item === undefined) return [];
      const dict = q.dict(item);
      if (!dict['/S']) return [];
      return [{ type: String(dict['/S']).slice(1), dict, kids: walk(dict['/K']) }];
    });
  };
  const root = q.dict(q.catalog['/StructTreeRoot']);
  return { type: 'StructTreeRoot', dict: root, kids: walk(root['/K']) };
}

function all(element: Element): Element[] {
  return [element, ...element.kids.flatMap(all)];
}

/** Heading depths of the Markdown source, in order (outside fenced code). */
async function sourceHeadings(file: string): Promise<number[]> {
  const body = (await readFile(file, 'utf8')).replace(/^---\n[\s\S]*?\n---\n/, '').replace(/^```[\s\S]*?^```/gm, '');
  return [...body.matchAll(/^(#{1,6}) /gm)].map((m) => m[1]?.length ?? 0);
}

describe.each([0, 1])('accessible PDF (letter %i)', (index) => {
  const letter = () => letters[index] ?? (undefined as never);
  let q: QpdfJson;
  let elements: Element[];
  beforeAll(() => {
    q = new QpdfJson(letter().pdf);
    elements = all(structureTree(q));
  });

  it('shows its front matter’s title as the window title, declares its language and is marked as tagged', async () => {
    expect(q.dict(q.catalog['/ViewerPreferences'])['/DisplayDocTitle']).toBe(true);
    expect(text(q.catalog['/Lang'])).toBe('zh-CN');
    expect(q.dict(q.catalog['/MarkInfo'])['/Marked']).toBe(true);
    const title = /^title:\s*['"]?(.+?)['"]?\s*$/m.exec(await readFile(letter().source, 'utf8'))?.[1];
    expect(title).toBeTruthy();
    expect(text(q.dict(q.trailer['/Info'])['/Title'])).toBe(title);
  });

  it('tags headings by rank, in the source’s order, without skipping a level', async () => {
    const headings = elements.filter((e) => /^H[1-6]$/.test(e.type)).map((e) => Number(e.type.slice(1)));
    const notes = /^\[\^[^\]]+\]:/m.test(await readFile(letter().source, 'utf8'));
    // The title is the one H1; the footnotes get their own heading (注释) at the end.
    expect(headings).toEqual([1, ...(await sourceHeadings(letter().source)), ...(notes ? [2] : [])]);
    headings.forEach((depth, i) => expect(depth).toBeLessThanOrEqual((headings[i - 1] ?? 0) + 1));
  });

  it('every list item holds a label and a body only; 2.0-only types are role-mapped', () => {
    const items = elements.filter((e) => e.type === 'LI');
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.kids.map((k) => k.type).filter((t) => t !== 'Lbl')).toEqual(['LBody']);
    }
    const roleMap = q.dict(q.dict(q.catalog['/StructTreeRoot'])['/RoleMap'] ?? {});
    for (const type of ['Strong', 'Em']) if (elements.some((e) => e.type === type)) expect(roleMap[`/${type}`]).toBe('/Span');
  });

  it('tab order follows the structure on every page with links', () => {
    let pagesWithLinks = 0;
    for (const [, dict] of q.dicts()) {
      if (dict['/Type'] !== '/Page' || q.array(dict['/Annots']).length === 0) continue;
      pagesWithLinks++;
      expect(dict['/Tabs']).toBe('/S');
    }
    expect(pagesWithLinks).toBeGreaterThan(0);
  });
});

describe('tables, figures and notes (the letter with images, tables, notes)', () => {
  let elements: Element[];
  beforeAll(() => {
    elements = all(structureTree(new QpdfJson(letters[1]?.pdf ?? '')));
  });

  it('header cells are TH with a scope, data cells name their headers', () => {
    const headers = elements.filter((e) => e.type === 'TH');
    expect(headers).toHaveLength(4);
    const attributes = (e: Element): Dict[] => (Array.isArray(e.dict['/A']) ? (e.dict['/A'] as Dict[]) : [e.dict['/A'] as Dict]);
    for (const th of headers) expect(attributes(th).some((a) => a?.['/Scope'] === '/Column')).toBe(true);
    const cells = elements.filter((e) => e.type === 'TD');
    expect(cells).toHaveLength(12);
    for (const td of cells) expect(attributes(td).some((a) => Array.isArray(a?.['/Headers']))).toBe(true);
  });

  it('the figure carries the image’s alternative text', () => {
    const figures = elements.filter((e) => e.type === 'Figure');
    expect(figures.map((f) => text(f.dict['/Alt']))).toEqual(['各代模型训练成本示意']);
  });

  it('each footnote is a Note with its own ID, inside the notes list', () => {
    const notes = elements.filter((e) => e.type === 'Note');
    expect(notes).toHaveLength(3);
    expect(new Set(notes.map((n) => text(n.dict['/ID']))).size).toBe(3);
    const lists = elements.filter((e) => e.type === 'L' && all(e).some((d) => d.type === 'Note'));
    expect(lists).toHaveLength(1);
  });
});
