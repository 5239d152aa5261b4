import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPdf } from '../support/pdf.ts';
import { projectRoot, runCli, type CliResult } from '../support/run-cli.ts';

const memo = path.join(projectRoot, 'content/2023-12-llm-observations.md');
const slug = '2023-12-llm-observations';
const mm = 72 / 25.4;
/** DIN 676 Form B's address field, which a DL window envelope shows: from the page's top-left corner, in points. */
const window = { left: 20 * mm, top: 45 * mm, width: 85 * mm, height: 45 * mm };

const recipients = [
  { id: 'lp-001', name: '张伟', address: ['北京市朝阳区建国路 1 号', '100022 北京'] },
  { id: 'lp-002', name: 'Alice Capital', address: ['12 Main Street', 'Springfield 4000', 'Australia'] },
  // Decomposed, as macOS saves it: stamped composed.
  { id: 'lp-003', name: 'Garcie\u0301 Fund', address: ['Calle 3', '28001 Madrid', 'España'] },
];
const csv = `id,name,address\n${recipients.map((r) => `${r.id},${r.name},"${r.address.join('\n')}"`).join('\n')}\n`;
const squash = (s: string): string => s.replace(/\s+/g, '');

/** Whole pages of the job: each row of mailing.csv. */
type Row = { id: string; name: string; first_page: string; last_page: string; pages: string };

describe('distribute --mailing: the print shop’s job', () => {
  let dir: string;
  let result: CliResult;
  let rows: Row[];
  let job: Awaited<ReturnType<typeof readPdf>>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-mailing-test-'));
    await writeFile(path.join(dir, 'lps.csv'), csv);
    result = await runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', '--mailing'], { cwd: dir });
    rows = parse(await readFile(path.join(dir, 'copies/mailing.csv')), { columns: true }) as Row[];
    job = await readPdf(await readFile(path.join(dir, 'copies/mailing.pdf')));
  });

  it('writes mailing.pdf and mailing.csv beside the copies, and qpdf finds the job sound', async () => {
    expect(result.code, result.stderr).toBe(0);
    expect((await readdir(path.join(dir, 'copies'))).sort()).toEqual([...recipients.map((r) => `${slug}-${r.id}.pdf`), 'distribution.json', 'mailing.csv', 'mailing.pdf'].sort());
    expect(execFileSync('qpdf', ['--check', path.join(dir, 'copies/mailing.pdf')], { encoding: 'utf8' })).toContain('No syntax or stream encoding errors found');
  });

  it('lists every copy in the list’s order; the job’s page count is the sum of its parts, each even, each starting on a recto', async () => {
    expect(rows.map((r) => r.id)).toEqual(recipients.map((r) => r.id));
    expect(rows.map((r) => r.name)).toEqual(recipients.map((r) => r.name.normalize('NFC')));
    const copyPages = (await readPdf(await readFile(path.join(dir, 'copies', `${slug}-lp-001.pdf`)))).length;
    let next = 1;
    for (const row of rows) {
      const [first, last, pages] = [Number(row.first_page), Number(row.last_page), Number(row.pages)];
      expect(first).toBe(next);
      expect(last - first + 1).toBe(pages);
      expect(pages % 2).toBe(0);
      expect(first % 2).toBe(1);
      // The address page and its blank verso, the copy, and a blank when the copy’s count is odd.
      expect(pages).toBe(2 + copyPages + (copyPages % 2));
      next = last + 1;
    }
    expect(job).toHaveLength(next - 1);
    const manifest = JSON.parse(await readFile(path.join(dir, 'copies/distribution.json'), 'utf8'));
    expect(manifest.mailing).toMatchObject({ file: 'mailing.pdf', pages: job.length });
  });

  it('puts each address page before its copy, the copy’s stamp naming the same recipient, composed', () => {
    for (const [i, row] of rows.entries()) {
      const recipient = recipients[i]!;
      const name = recipient.name.normalize('NFC');
      const address = squash(job[Number(row.first_page) - 1]!.items.map((t) => t.str).join(''));
      expect(address).toContain(squash(name));
      for (const line of recipient.address) expect(address).toContain(squash(line));
      expect(job[Number(row.first_page)]!.items).toEqual([]);
      const copy = job.slice(Number(row.first_page) + 1, Number(row.first_page) + 1 + 4);
      for (const page of copy) {
        const text = squash(page.items.map((t) => t.str).join(''));
        expect(text).toContain(squash(`谨呈 ${name}`));
        expect(text).toContain(`副本${recipient.id}`);
        for (const other of recipients.filter((r) => r !== recipient)) expect(text).not.toContain(squash(other.name.normalize('NFC')));
      }
    }
  });

  it('sets the address in the window of a DL envelope (DIN 676 Form B): every word of it inside the field', () => {
    for (const row of rows) {
      const page = job[Number(row.first_page) - 1]!;
      // The top half: the line naming the copy for the inserting machine is at the foot of the page.
      const inWindow = page.items.filter((t) => t.y > page.height / 2);
      expect(inWindow.length).toBeGreaterThanOrEqual(3);
      for (const t of inWindow) {
        expect(t.x).toBeGreaterThanOrEqual(window.left);
        expect(t.x + t.width).toBeLessThanOrEqual(window.left + window.width);
        expect(page.height - t.y).toBeLessThanOrEqual(window.top + window.height);
        expect(page.height - t.y - t.height).toBeGreaterThanOrEqual(window.top);
      }
    }
  });

  it('prints nothing outside the window in the top half of the address page (rendered at 100 dpi)', async () => {
    const file = path.join(dir, 'address');
    execFileSync('pdftoppm', ['-r', '100', '-png', '-f', '1', '-l', '1', '-singlefile', path.join(dir, 'copies/mailing.pdf'), file]);
    const png = PNG.sync.read(await readFile(`${file}.png`));
    const px = (pt: number): number => Math.round((pt / 72) * 100);
    const box = { x0: px(window.left), y0: px(window.top), x1: px(window.left + window.width), y1: px(window.top + window.height) };
    let inside = 0;
    for (let y = 0; y < png.height / 2; y++) {
      for (let x = 0; x < png.width; x++) {
        const dark = png.data[(y * png.width + x) * 4]! < 160;
        if (!dark) continue;
        const within = x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1;
        expect(within, `a dark pixel at ${x},${y} outside the window`).toBe(true);
        inside++;
      }
    }
    expect(inside).toBeGreaterThan(200);
  });

  it('names the recipient in each copy’s metadata', async () => {
    for (const recipient of recipients) {
      const info = execFileSync('pdfinfo', ['-custom', path.join(dir, 'copies', `${slug}-${recipient.id}.pdf`)], { encoding: 'utf8' });
      expect(info).toMatch(new RegExp(`^LetterpressRecipient:\\s*${recipient.id}$`, 'm'));
      expect(info).toMatch(new RegExp(`prepared for ${recipient.id}`));
    }
  });
});

describe('distribute --mailing --profile print --pdfx', () => {
  it('makes the job press-ready (trim and bleed boxes, crop marks on every page) and its PDF/X', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-mailing-test-'));
    await writeFile(path.join(dir, 'lps.csv'), `id,name,address\n${recipients.slice(0, 2).map((r) => `${r.id},${r.name},"${r.address.join('\n')}"`).join('\n')}\n`);
    const result = await runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', '--mailing', '--profile', 'print', '--pdfx'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const file = path.join(dir, 'copies/mailing.pdf');
    const boxes = execFileSync('pdfinfo', ['-box', '-f', '1', '-l', '999', file], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(boxes)?.[1]);
    expect(pages % 2).toBe(0);
    // Every page: trimmed to A4, with 3 mm of bleed and room for the marks beyond it.
    const trims = [...boxes.matchAll(/^Page\s+\d+ TrimBox:\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)$/gm)].map((m) => [Number(m[3]) - Number(m[1]), Number(m[4]) - Number(m[2])]);
    const media = [...boxes.matchAll(/^Page\s+\d+ MediaBox:\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)$/gm)].map((m) => Number(m[3]) - Number(m[1]));
    expect(trims).toHaveLength(pages);
    for (const [w, h] of trims) {
      expect(w).toBeCloseTo(210 * mm, 0);
      expect(h).toBeCloseTo(297 * mm, 0);
    }
    for (const w of media) expect(w).toBeGreaterThan(210 * mm + 6 * mm);
    expect(boxes).toMatch(/BleedBox/);
    // The address is still in the window, measured from the trimmed page's corner.
    const address = await readPdf(await readFile(file));
    const first = address[0]!;
    const trimTop = Number(/^Page\s+1 TrimBox:\s+[\d.-]+\s+[\d.-]+\s+[\d.-]+\s+([\d.-]+)$/m.exec(boxes)?.[1]);
    const trimLeft = Number(/^Page\s+1 TrimBox:\s+([\d.-]+)/m.exec(boxes)?.[1]);
    const inWindow = first.items.filter((i) => trimTop - i.y < 150 * mm);
    expect(inWindow.length).toBeGreaterThanOrEqual(3);
    for (const t of inWindow) {
      const fromTop = trimTop - t.y;
      expect(fromTop).toBeGreaterThan(window.top);
      expect(fromTop).toBeLessThan(window.top + window.height);
      expect(t.x - trimLeft).toBeGreaterThan(window.left);
    }
    const pdfx = await readFile(path.join(dir, 'copies/mailing.pdfx.pdf'));
    expect(pdfx.toString('latin1')).toMatch(/GTS_PDFX/);
    expect(Number(/^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [path.join(dir, 'copies/mailing.pdfx.pdf')], { encoding: 'utf8' }))?.[1])).toBe(pages);
    // Converted, not rasterised: every page of the job keeps its text in embedded fonts (a page drawn with transparency
    // would have been flattened into one image), and the file stays the size of the job, not of its bitmaps.
    // (Ghostscript re-encodes the fonts, and its text layer maps a few characters wrongly: the count of characters per page is compared, not the text.)
    const pdfxText = execFileSync('pdftotext', [path.join(dir, 'copies/mailing.pdfx.pdf'), '-'], { encoding: 'utf8' }).split('\f').map(squash);
    const jobText = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).split('\f').map(squash);
    expect(pdfxText).toHaveLength(jobText.length);
    jobText.forEach((text, i) => expect(Math.abs([...pdfxText[i]!].length - [...text].length), `page ${i + 1}`).toBeLessThanOrEqual(Math.ceil(0.02 * [...text].length)));
    expect(pdfxText.join('')).toContain('拾象大模型观察思考');
    expect(execFileSync('pdfimages', ['-list', path.join(dir, 'copies/mailing.pdfx.pdf')], { encoding: 'utf8' }).trim().split('\n').length).toBe(2);
    expect(pdfx.length).toBeLessThan(4 * (await readFile(file)).length);
  }, 240_000);
});

describe('distribute --mailing refuses, or fails as a whole', () => {
  it('a recipient without an address: exit 1, naming its line, nothing written', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-mailing-test-'));
    await writeFile(path.join(dir, 'lps.csv'), 'id,name,address\nlp-1,Alice,"1 Road\nTown"\nlp-2,Bob,\n');
    const result = await runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', '--mailing'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^letterpress: lps\.csv:4: no address for lp-2: --mailing needs an `address` column/m);
    expect(await readdir(dir)).toEqual(['lps.csv']);
  });

  it('one copy that fails fails the job: the earlier distribution and passwords stay as they were, nothing half-written is left', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-mailing-test-'));
    await mkdir(path.join(dir, 'secret'));
    await writeFile(path.join(dir, 'lps.csv'), csv);
    const args = ['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', '--mailing', '--encrypt', '--passwords', 'secret/passwords.csv'];
    const first = await runCli(args, { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const before = await snapshot(dir);
    // A qpdf that fails on lp-002's copy alone (its id is in the copy's Info, UTF-16 in hex).
    await mkdir(path.join(dir, 'bin'));
    const marker = Buffer.from('\ufefflp-002', 'utf16le').swap16().toString('hex').toUpperCase();
    await writeFile(path.join(dir, 'bin/qpdf'), `#!/bin/sh\nif [ -e /dev/fd/3 ] && grep -q ${marker} /dev/fd/3; then echo 'qpdf: damaged' >&2; exit 2; fi\nexec /usr/bin/qpdf "$@"\n`);
    await chmod(path.join(dir, 'bin/qpdf'), 0o755);
    const failed = await runCli(args, { cwd: dir, env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` } });
    // One line naming the copy, the cause and the fix, and the exit code of a tool that cannot be used.
    expect(failed.code, failed.stderr).toBe(3);
    expect(failed.stderr.trim().split('\n').at(-1)).toMatch(/^letterpress: copy lp-002: qpdf could not encrypt a copy \(exit 2\): qpdf: damaged; check that `qpdf --version` works \(reinstall with `apt-get install qpdf`\) and run distribute again$/);
    expect(failed.stderr).not.toMatch(/internal error|^\s+at /m);
    const after = await snapshot(dir);
    delete after['bin/qpdf'];
    expect(after).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual(['bin', 'copies', 'lps.csv', 'secret']);
  });
});

/** Every file under `dir` with its bytes as hex (the folder's whole state). */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  return Object.fromEntries(await Promise.all(files.sort().map(async (f) => [f, (await readFile(path.join(dir, f))).toString('base64')] as const)));
}
