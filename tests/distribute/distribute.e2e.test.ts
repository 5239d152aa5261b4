import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { checkFonts } from '../../src/postprocess/check-fonts.ts';
import { commonRight } from '../support/letter-checks.ts';
import { bodyText, pdfFonts, readPdf, type PdfPage } from '../support/pdf.ts';
import { projectRoot, runCli, type CliResult } from '../support/run-cli.ts';

const memo = path.join(projectRoot, 'content/2023-12-llm-observations.md');
const slug = '2023-12-llm-observations';

/** Chinese, Latin, mixed, a comma and an accent: none of them occurs in the memo. */
const recipients = [
  { id: 'lp-001', name: '张伟' },
  { id: 'lp-002', name: '欧阳娜娜' },
  { id: 'lp-003', name: 'Alice Smith' },
  { id: 'lp-004', name: "O'Brien, Seán" },
  { id: 'LP_5.b', name: '陈静 Chen Jing' },
];
const csv = (rows: { id: string; name: string }[]): string =>
  `id,name,email\n${rows.map((r) => `${r.id},${r.name.includes(',') ? `"${r.name}"` : r.name},`).join('\n')}\n`;

const squash = (s: string): string => s.replace(/\s+/g, '');
const pageText = (page: PdfPage): string => squash(page.items.map((i) => i.str).join(''));

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'letterpress-distribute-test-'));
}

describe('letterpress distribute: 5 personalised copies', () => {
  let dir: string;
  let out: string;
  let result: CliResult;
  let manifest: { letter: string; title: string; encrypted: boolean; copies: { id: string; name: string; file: string; sha256: string }[] };

  beforeAll(async () => {
    dir = await tempDir();
    out = path.join(dir, 'copies');
    await writeFile(path.join(dir, 'lps.csv'), `\uFEFF${csv(recipients)}`);
    result = await runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies'], { cwd: dir });
    manifest = JSON.parse(await readFile(path.join(out, 'distribution.json'), 'utf8'));
  });

  it('writes one PDF per recipient, named from the id, and the manifest; nothing else', async () => {
    expect(result.code, result.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual([...recipients.map((r) => `${slug}-${r.id}.pdf`), 'distribution.json'].sort());
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['copies', 'lps.csv']));
    expect(await readdir(dir)).toHaveLength(2);
  });

  it('records id → name → file → sha256 of the file as written', async () => {
    expect(manifest.encrypted).toBe(false);
    expect(manifest.copies.map(({ id, name, file }) => ({ id, name, file }))).toEqual(recipients.map((r) => ({ ...r, file: `${slug}-${r.id}.pdf` })));
    for (const copy of manifest.copies) {
      const sha = execFileSync('sha256sum', [path.join(out, copy.file)], { encoding: 'utf8' }).split(' ')[0];
      expect(copy.sha256).toBe(sha);
    }
  });

  it('prints each name on every page (footer and watermark; on the first, the letterhead too), and no other recipient’s name anywhere', async () => {
    for (const recipient of recipients) {
      const pages = await readPdf(await readFile(path.join(out, `${slug}-${recipient.id}.pdf`)));
      expect(pages.length).toBeGreaterThanOrEqual(3);
      for (const page of pages) {
        const text = pageText(page);
        // Once in the footer, once as the watermark, and on the first page in the letterhead's 致 line.
        expect(text.split(squash(recipient.name)).length - 1, `page ${page.number} of ${recipient.id}`).toBe(page.number === 1 ? 3 : 2);
        // The house style's label in the memo's language (Chinese).
        expect(text).toContain(squash(`谨呈 ${recipient.name}`));
        expect(text).not.toContain('Preparedfor');
        for (const other of recipients.filter((r) => r !== recipient)) expect(text).not.toContain(squash(other.name));
      }
    }
  });

  it('names each copy’s own recipient in the letterhead’s 致 line, where the letter prints that line, and nobody else', () => {
    for (const recipient of recipients) {
      const file = path.join(out, `${slug}-${recipient.id}.pdf`);
      const lines = execFileSync('pdftotext', ['-layout', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' }).split('\n');
      const to = lines.filter((l) => l.trim().startsWith('致'));
      expect(to, recipient.id).toHaveLength(1);
      expect(to[0]!.trim().replace(/\s+/g, ' ')).toBe(`致 ${recipient.name}`);
      // The front matter's recipients, which the letter itself prints there, are in no copy.
      expect(lines.join('\n')).not.toContain('Shixiang Flagship Fund LPs');
      // On the label's baseline, starting where the date below it starts (the letterhead's second column).
      const words = letterheadWords(file);
      const label = words.find((w) => w.text === '致')!;
      const date = words.find((w) => w.text === '2023-12')!;
      const name = words.find((w) => w.text === recipient.name.split(' ')[0])!;
      expect(name, recipient.id).toBeDefined();
      expect(name.x).toBeCloseTo(date.x, 1);
      expect(name.y).toBeCloseTo(label.y, 1);
      expect(name.height).toBeCloseTo(date.height, 1);
    }
  });

  it('stamps the footer at the right margin, on the page number’s baseline, clear of it', async () => {
    const pages = await readPdf(await readFile(path.join(out, `${slug}-lp-004.pdf`)));
    for (const page of pages) {
      const number = page.items.find((i) => /第\s*\d+\s*页/.test(i.str) && i.y < 60);
      const stamp = page.items.find((i) => i.str.startsWith('谨呈'));
      expect(number, `page ${page.number}`).toBeDefined();
      expect(stamp, `page ${page.number}`).toBeDefined();
      const pageNumberEnd = Math.max(...page.items.filter((i) => i.y < 60 && Math.abs(i.y - number!.y) < 2 && i !== stamp).map((i) => i.x + i.width));
      expect(stamp!.y).toBeCloseTo(number!.y, 0);
      expect(stamp!.x).toBeGreaterThan(pageNumberEnd + 20);
      // Ends where the text column ends: the right edge of the justified body lines, measured on the page (the watermark and running matter aside).
      const body = page.items.filter((i) => i.y > 80 && i.y < page.height - 80 && i.str.trim() !== '' && !i.str.includes("O'Brien") && i.width < page.width);
      const columnRight = commonRight(body.map((i) => i.x + i.width));
      expect(stamp!.x + stamp!.width).toBeGreaterThan(columnRight - 1.5);
      expect(stamp!.x + stamp!.width).toBeLessThan(columnRight + 1.5);
    }
  });

  it('lays the name along each page’s diagonal, large and light, under the letter’s text and without transparency', async () => {
    const data = await readFile(path.join(out, `${slug}-lp-001.pdf`));
    const doc = await getDocument({ data: new Uint8Array(data), isEvalSupported: false }).promise;
    const lib = await PDFDocument.load(data);
    for (let n = 1; n <= doc.numPages; n++) {
      const named = (await (await doc.getPage(n)).getTextContent()).items.filter((i) => 'str' in i && i.str === '张伟') as { transform: number[] }[];
      // The first page also names the recipient, upright, in the letterhead.
      expect(named.filter((i) => i.transform[1] === 0), `page ${n}`).toHaveLength(n === 1 ? 1 : 0);
      const items = named.filter((i) => i.transform[1] !== 0);
      expect(items, `page ${n}`).toHaveLength(1);
      const [a, b] = items[0]!.transform as [number, number];
      // Rotated by the page's diagonal (about 54.7° on A4), at a size of tens of points.
      expect((Math.atan2(b, a) * 180) / Math.PI).toBeCloseTo((Math.atan2(841.89, 595.28) * 180) / Math.PI, 0);
      expect(Math.hypot(a, b)).toBeGreaterThan(40);
      // The page's first content stream is the watermark alone: the name in a light grey, so the letter's text prints over it.
      const page = lib.getPage(n - 1);
      const first = page.node.Contents() instanceof PDFArray ? page.node.lookup(PDFName.of('Contents'), PDFArray).lookup(0, PDFRawStream) : undefined;
      const under = first ? Buffer.from(decodePDFRawStream(first).decode()).toString('latin1') : '';
      expect(under, `page ${n}`).toMatch(/^\/Artifact BMC\nq 0\.9\d* g BT .* Tj ET Q\nEMC\n$/s);
      // No page draws with a fill or stroke opacity below 1, so a PDF/X conversion keeps every page as vectors and text.
      const states = page.node.Resources()?.lookup(PDFName.of('ExtGState'), PDFDict);
      const opacities = (states?.values() ?? []).flatMap((state) => ['ca', 'CA'].map((key) => {
        const value = (lib.context.lookup(state) as PDFDict).get(PDFName.of(key));
        return value instanceof PDFNumber ? value.asNumber() : 1;
      }));
      expect(Math.min(1, ...opacities), `page ${n}`).toBe(1);
    }
    await doc.destroy();
  });

  it('leaves the letter itself as it was: the body text is the memo’s, once the names are taken out (the 致 line names the copy’s recipient instead of the front matter’s)', async () => {
    const original = bodyText(await readPdf(await readFile(path.join(inject('memoOut'), `${slug}.pdf`))));
    const copy = bodyText(await readPdf(await readFile(path.join(out, `${slug}-lp-001.pdf`))));
    expect(original).toContain('致ShixiangFlagshipFundLPs日期');
    expect(copy.replaceAll('张伟', '')).toBe(original.replace('ShixiangFlagshipFundLPs', ''));
  });

  it('names the recipient in the metadata and keeps the letter’s', async () => {
    for (const recipient of recipients) {
      const doc = await getDocument({ data: new Uint8Array(await readFile(path.join(out, `${slug}-${recipient.id}.pdf`))), isEvalSupported: false }).promise;
      const { info } = (await doc.getMetadata()) as unknown as { info: Record<string, unknown> & { Custom?: Record<string, string> } };
      expect(info.Custom?.LetterpressRecipient).toBe(recipient.id);
      expect(info.Title).toBe('拾象大模型观察思考 - 最新判断猜想');
      expect(info.Author).toBe('拾象 Shixiang');
      expect(info.Subject).toBe(`拾象对大模型闭源、开源、多模态与应用格局的最新判断 (prepared for ${recipient.id})`);
      await doc.destroy();
    }
  });

  it('embeds only subsets of the bundled fonts, each copy with its own stamp subset', async () => {
    const perCopy: string[][] = [];
    for (const recipient of recipients) {
      const file = path.join(out, `${slug}-${recipient.id}.pdf`);
      checkFonts(await PDFDocument.load(await readFile(file)));
      const fonts = pdfFonts(file);
      expect(fonts.length).toBe(5);
      for (const font of fonts) {
        expect(font.name).toMatch(/^[A-Z]{6}\+Noto(Serif|Sans)SC-(Regular|Bold)$/);
        expect(font).toMatchObject({ type: 'CID TrueType', embedded: true, subset: true });
      }
      perCopy.push(fonts.map((f) => f.name));
    }
    // The letter's subsets are in every copy; each copy's stamp subset is its own (its tag from its content).
    const shared = perCopy.reduce((a, b) => a.filter((n) => b.includes(n)));
    expect(shared).toHaveLength(4);
    const stampFonts = new Set(perCopy.map((names) => names.filter((n) => !shared.includes(n)).join()));
    expect(stampFonts.size).toBe(recipients.length);
  });

  it('reports progress on stderr, one line per copies done when stderr is not a terminal', () => {
    expect(result.stderr).toMatch(/^letterpress 1\/5 copies$/m);
    expect(result.stderr).toMatch(/^letterpress 5\/5 copies$/m);
    expect(result.stderr).not.toContain('\r');
  });

  it('replaces an earlier distribution as a whole when run again', async () => {
    await writeFile(path.join(dir, 'fewer.csv'), csv(recipients.slice(0, 2)));
    const again = await runCli(['distribute', memo, '--recipients', 'fewer.csv', '--out', 'copies'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual([`${slug}-lp-001.pdf`, `${slug}-lp-002.pdf`, 'distribution.json']);
    expect((await readdir(dir)).sort()).toEqual(['copies', 'fewer.csv', 'lps.csv']);
  });
});

describe('letterpress distribute --encrypt', () => {
  let dir: string;
  let result: CliResult;
  const passwords = new Map<string, string>();
  const owners = new Set<string>();

  beforeAll(async () => {
    dir = await tempDir();
    await mkdir(path.join(dir, 'secret'));
    await writeFile(path.join(dir, 'lps.csv'), csv(recipients.slice(0, 2)));
    result = await runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', '--encrypt', '--passwords', 'secret/passwords.csv'], { cwd: dir });
    const lines = (await readFile(path.join(dir, 'secret/passwords.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('id,name,email,file,password,owner_password');
    for (const line of lines.slice(1)) {
      const fields = line.split(',');
      passwords.set(fields[0]!, fields[4]!);
      owners.add(fields[5]!);
    }
  });

  it('writes the passwords outside the folder of copies, readable by the owner only, one strong password per copy', async () => {
    expect(result.code, result.stderr).toBe(0);
    expect((await readdir(path.join(dir, 'copies'))).sort()).toEqual([`${slug}-lp-001.pdf`, `${slug}-lp-002.pdf`, 'distribution.json']);
    expect((await readdir(path.join(dir, 'secret')))).toEqual(['passwords.csv']);
    expect((await stat(path.join(dir, 'secret/passwords.csv'))).mode & 0o777).toBe(0o600);
    expect([...passwords.keys()]).toEqual(['lp-001', 'lp-002']);
    for (const password of passwords.values()) expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(new Set(passwords.values()).size).toBe(2);
  });

  it('makes PDFs that do not open without their password, nor with another copy’s, and open with it (AES-256)', async () => {
    for (const [id, password] of passwords) {
      const file = path.join(dir, 'copies', `${slug}-${id}.pdf`);
      const data = await readFile(file);
      await expect(getDocument({ data: new Uint8Array(data), isEvalSupported: false }).promise).rejects.toMatchObject({ name: 'PasswordException' });
      const other = passwords.get(id === 'lp-001' ? 'lp-002' : 'lp-001')!;
      await expect(getDocument({ data: new Uint8Array(data), password: other, isEvalSupported: false }).promise).rejects.toMatchObject({ name: 'PasswordException' });
      const doc = await getDocument({ data: new Uint8Array(data), password, isEvalSupported: false }).promise;
      const text = (await (await doc.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join('');
      expect(squash(text)).toContain(squash(`谨呈 ${recipients.find((r) => r.id === id)!.name}`));
      await doc.destroy();
      expect(() => execFileSync('qpdf', ['--check', file], { stdio: 'pipe' })).toThrow(/invalid password/);
      expect(execFileSync('qpdf', [`--password=${password}`, '--show-encryption', file], { encoding: 'utf8' })).toMatch(/R = 6[\s\S]*stream encryption method: AESv3/);
    }
  });

  it('allows printing at high resolution and nothing else, under one random owner password for the distribution', async () => {
    expect(owners.size).toBe(1);
    const [owner] = owners;
    expect(owner).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{23}$/);
    expect([...passwords.values()]).not.toContain(owner);
    for (const [id, password] of passwords) {
      const file = path.join(dir, 'copies', `${slug}-${id}.pdf`);
      const shown = execFileSync('qpdf', [`--password=${password}`, '--show-encryption', file], { encoding: 'utf8' });
      expect(shown).toMatch(/^print high resolution: allowed$/m);
      for (const refused of ['extract for any purpose', 'modify document assembly', 'modify annotations', 'modify other']) expect(shown).toMatch(new RegExp(`^${refused}: not allowed$`, 'm'));
      expect(execFileSync('qpdf', [`--password=${owner}`, '--show-encryption', file], { encoding: 'utf8' })).toContain('Supplied password is owner password');
    }
  });

  it('records the sha256 of the encrypted file', async () => {
    const manifest = JSON.parse(await readFile(path.join(dir, 'copies/distribution.json'), 'utf8'));
    expect(manifest.encrypted).toBe(true);
    for (const copy of manifest.copies) {
      expect(copy.sha256).toBe(execFileSync('sha256sum', [path.join(dir, 'copies', copy.file)], { encoding: 'utf8' }).split(' ')[0]);
    }
  });
});

describe('letterpress distribute refuses, writing nothing', () => {
  async function refused(args: string[], files: Record<string, string | Uint8Array>): Promise<{ result: CliResult; left: string[] }> {
    const dir = await tempDir();
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
    const result = await runCli(['distribute', ...args], { cwd: dir });
    return { result, left: (await readdir(dir)).sort() };
  }

  const badLists: [string, string | Uint8Array, number, RegExp][] = [
    ['a missing name', 'id,name\nlp-1,张伟\nlp-2,\n', 3, /name is missing/],
    ['a name of spaces only', 'id,name\nlp-1,张伟\nlp-2,"\u3000 "\n', 3, /name is only spaces/],
    ['a duplicate id', 'id,name\nlp-1,张伟\nlp-2,Bob\nlp-1,Carol\n', 4, /duplicate id/],
    ['an empty file', '', 1, /empty/],
    ['a header only', '\uFEFFid,name\n', 2, /no recipients/],
    ['an id that climbs out of the folder', 'id,name\n../x,张伟\n', 2, /id must be/],
    ['an id with a slash', 'id,name\nlp-1,Alice\n/etc,Bob\n', 3, /id must be/],
    ['a name with a control character', 'id,name\nlp-1,"张\u0007伟"\n', 2, /control/],
    ['unbalanced quotes', 'id,name\nlp-1,Alice\nlp-2,"Bob\nlp-3,Carol\n', 3, /never closed/],
    ['a GBK file', Buffer.concat([Buffer.from('id,name\nlp-1,Alice\nlp-2,'), Buffer.from([0xd5, 0xc5, 0xce, 0xb0]), Buffer.from('\n')]), 3, /not UTF-8/],
  ];

  it.each(badLists)('%s: exit 1, the line named', async (_, content, line, message) => {
    const { result, left } = await refused([memo, '--recipients', 'lps.csv', '--out', 'copies', '--encrypt', '--passwords', 'passwords.csv'], { 'lps.csv': content });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^letterpress: lps\\.csv:${line}: `, 'm'));
    expect(result.stderr).toMatch(message);
    // Checked before the letter is printed.
    expect(result.stderr).not.toMatch(/^letterpress pdf/m);
    expect(left).toEqual(['lps.csv']);
  });

  it('a passwords file inside the folder of copies: exit 2', async () => {
    const { result, left } = await refused([memo, '--recipients', 'lps.csv', '--out', 'copies', '--encrypt', '--passwords', 'copies/passwords.csv'], { 'lps.csv': csv(recipients) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--passwords .*passwords\.csv is inside the output folder/);
    expect(left).toEqual(['lps.csv']);
  });

  it('a passwords file that is the folder of copies itself, reached through a symbolic link: exit 2', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'lps.csv'), csv(recipients));
    execFileSync('ln', ['-s', '.', path.join(dir, 'here')]);
    const result = await runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'here/copies', '--encrypt', '--passwords', 'copies/p.csv'], { cwd: dir });
    expect(result.code).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['here', 'lps.csv']);
  });

  it('a passwords file in a folder that does not exist: exit 2, before printing', async () => {
    const { result, left } = await refused([memo, '--recipients', 'lps.csv', '--encrypt', '--passwords', 'nowhere/p.csv'], { 'lps.csv': csv(recipients) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--passwords \/\S+\/nowhere\/p\.csv: the folder \/\S+\/nowhere does not exist/);
    expect(result.stderr).not.toMatch(/^letterpress pdf/m);
    expect(left).toEqual(['lps.csv']);
  });

  it('--encrypt without qpdf installed: exit 3, saying how to install it, before printing', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'lps.csv'), csv(recipients));
    // A PATH with node and nothing else.
    await mkdir(path.join(dir, 'bin'));
    execFileSync('ln', ['-s', process.execPath, path.join(dir, 'bin/node')]);
    const result = await runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', '--encrypt', '--passwords', 'p.csv'], {
      cwd: dir,
      env: { PATH: path.join(dir, 'bin') },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('apt-get install qpdf');
    expect(result.stderr).not.toMatch(/^letterpress pdf/m);
    expect((await readdir(dir)).sort()).toEqual(['bin', 'lps.csv']);
  });

  it('qpdf failing on one copy: exit 3, one line naming the copy, the cause and the fix; the earlier distribution as it was, nothing left', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'secret'));
    await writeFile(path.join(dir, 'lps.csv'), csv(recipients));
    const args = ['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies', '--encrypt', '--passwords', 'secret/passwords.csv'];
    const first = await runCli(args, { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const before = await folderBytes(dir);
    // A qpdf that answers --version and then fails on lp-004's copy (its id is in the copy's Info, UTF-16 in hex).
    await mkdir(path.join(dir, 'bin'));
    const marker = Buffer.from('\ufefflp-004', 'utf16le').swap16().toString('hex').toUpperCase();
    await writeFile(path.join(dir, 'bin/qpdf'), `#!/bin/sh\nif [ -e /dev/fd/3 ] && grep -q ${marker} /dev/fd/3; then echo 'qpdf: out of order' >&2; exit 2; fi\nexec /usr/bin/qpdf "$@"\n`, { mode: 0o755 });
    const failed = await runCli(args, { cwd: dir, env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` } });
    expect(failed.code, failed.stderr).toBe(3);
    expect(failed.stderr.trim().split('\n').at(-1)).toBe(
      'letterpress: copy lp-004: qpdf could not encrypt a copy (exit 2): qpdf: out of order; check that `qpdf --version` works (reinstall with `apt-get install qpdf`) and run distribute again',
    );
    expect(failed.stderr).not.toMatch(/internal error|^\s+at /m);
    const after = await folderBytes(dir);
    delete after['bin/qpdf'];
    expect(after).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual(['bin', 'copies', 'lps.csv', 'secret']);
  });

  it('--encrypt without --passwords: exit 2', async () => {
    const { result, left } = await refused([memo, '--recipients', 'lps.csv', '--encrypt'], { 'lps.csv': csv(recipients) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--encrypt and --passwords FILE go together');
    expect(left).toEqual(['lps.csv']);
  });

  it('an output folder holding other files: exit 2, the folder untouched', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'lps.csv'), csv(recipients));
    await mkdir(path.join(dir, 'dist'));
    await writeFile(path.join(dir, 'dist/keep.pdf'), 'mine');
    const result = await runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'dist'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--out .*dist holds files that are not a distribution/);
    expect(await readdir(path.join(dir, 'dist'))).toEqual(['keep.pdf']);
  });

  it('a letter with errors: exit 1, nothing written', async () => {
    const { result, left } = await refused(['bad.md', '--recipients', 'lps.csv', '--out', 'copies'], {
      'lps.csv': csv(recipients),
      'bad.md': '---\ntitle: x\n---\n\nbody\n',
    });
    expect(result.code).toBe(1);
    expect(left).toEqual(['bad.md', 'lps.csv']);
  });
});

/** Every file under `dir` with its bytes as base64 (the folder's whole state). */
async function folderBytes(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  return Object.fromEntries(await Promise.all(files.sort().map(async (f) => [f, (await readFile(path.join(dir, f))).toString('base64')] as const)));
}

describe('letterpress distribute with a house style of its own', () => {
  it('writes the house style’s `to` and `preparedFor` labels on each copy', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'letterpress.config.yaml'), 'labels:\n  zh:\n    to: 收件人\n    preparedFor: "呈 {name} 台启"\n');
    await writeFile(path.join(dir, 'lps.csv'), 'id,name\nlp-1,甲资本\n');
    const run = await runCli(['distribute', memo, '--recipients', 'lps.csv', '--out', 'copies'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const lines = execFileSync('pdftotext', ['-layout', path.join(dir, 'copies', `${slug}-lp-1.pdf`), '-'], { encoding: 'utf8' }).split('\n');
    expect(lines.filter((l) => l.trim().startsWith('收件人')).map((l) => l.trim().replace(/\s+/g, ' '))).toEqual(['收件人 甲资本']);
    expect(lines.filter((l) => l.includes('台启')).map((l) => l.trim().replace(/^.*页\s+/, ''))).toEqual(Array(4).fill('呈 甲资本 台启'));
    expect(lines.join('\n')).not.toContain('谨呈');
  });
});

describe('letterpress distribute of an English letter: the labels in English', () => {
  it('writes `To: <name>` in the letterhead and `Prepared for <name>` in the footer of each copy', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'letter.md'),
      '---\ntitle: Quarterly note\nrecipients: All limited partners\ndate: 2024-03-01\nauthor: Shixiang\norganisation: Shixiang\nlang: en\nconfidentiality: Confidential\ntoc: false\n---\n\nThe fund had a quiet quarter.\n',
    );
    await writeFile(path.join(dir, 'lps.csv'), 'id,name\nlp-1,Alice Smith\nlp-2,陈静 Chen Jing\n');
    const run = await runCli(['distribute', 'letter.md', '--recipients', 'lps.csv', '--out', 'copies'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    for (const [id, name, other] of [['lp-1', 'Alice Smith', '陈静'], ['lp-2', '陈静 Chen Jing', 'Alice']] as const) {
      const file = path.join(dir, 'copies', `letter-${id}.pdf`);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      const to = text.split('\n').filter((l) => l.trim().startsWith('To:'));
      expect(to.map((l) => l.trim().replace(/\s+/g, ' '))).toEqual([`To: ${name}`]);
      expect(text.replace(/\s+/g, ' ')).toContain(`Prepared for ${name}`);
      expect(text).not.toContain('谨呈');
      expect(text).not.toContain('All limited partners');
      expect(text).not.toContain(other);
      const words = letterheadWords(file);
      const label = words.find((w) => w.text === 'To:')!;
      const date = words.find((w) => w.text === '2024-03-01')!;
      const first = words.find((w) => w.text === name.split(' ')[0])!;
      expect(first.x).toBeCloseTo(date.x, 1);
      expect(first.y).toBeCloseTo(label.y, 0);
    }
  });
});

/** The words of a PDF's first page with their boxes, as pdftotext -bbox finds them (x, y: the top left corner). */
function letterheadWords(file: string): { text: string; x: number; y: number; height: number }[] {
  const html = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    text: m[4]!.replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&'),
    x: Number(m[1]),
    y: Number(m[2]),
    height: Number(m[3]) - Number(m[2]),
  }));
}
