import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { pdfFonts } from '../support/pdf.ts';
import { QpdfJson, text, type Dict } from '../support/qpdf-json.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';

/**
 * PDF/A-3 (ISO 19005-3) requirements that apply to letterpress's PDFs, each
 * checked on the real files with readers independent of pdf-lib: qpdf's JSON,
 * poppler (pdfinfo, pdffonts, pdfdetach).
 */
const memoSource = path.join(projectRoot, 'content/2023-12-llm-observations.md');
const letterSource = path.join(projectRoot, 'tests/fixtures/typography/letter/input.md');
let out: string;
const letters: { name: string; file: string; source: string; plain: string }[] = [];

beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'letterpress-pdfa-'));
  const result = await runCli(['build', memoSource, letterSource, '--pdfa', '--out', out]);
  expect(result.code, result.stderr).toBe(0);
  letters.push(
    { name: 'memo', file: path.join(out, '2023-12-llm-observations.pdf'), source: memoSource, plain: path.join(inject('memoOut'), '2023-12-llm-observations.pdf') },
    { name: 'letter with images, tables, notes', file: path.join(out, 'input.pdf'), source: letterSource, plain: '' },
  );
});

function xmp(file: string): string {
  return execFileSync('pdfinfo', ['-meta', file], { encoding: 'utf8' });
}

function xmpValue(packet: string, property: string): string | undefined {
  const match = new RegExp(`<${property}>\\s*(?:<rdf:(?:Alt|Seq|Bag)>\\s*<rdf:li[^>]*>)?([^<]*)<`).exec(packet);
  return match?.[1];
}

function info(file: string): Record<string, string> {
  const lines = execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' }).split('\n');
  return Object.fromEntries(lines.map((l) => /^([A-Za-z ]+):\s*(.*)$/.exec(l)).flatMap((m) => (m ? [[m[1] ?? '', m[2] ?? '']] : [])));
}

describe.each([0, 1])('PDF/A-3 (letter %i)', (index) => {
  const letter = () => letters[index] ?? (undefined as never);
  let q: QpdfJson;
  beforeAll(() => {
    q = new QpdfJson(letter().file);
  });

  it('6.1.2 header: %PDF-1.7 then a comment of four bytes above 127; 6.1.3 trailer: an /ID, no /Encrypt; qpdf --check clean', async () => {
    const bytes = await readFile(letter().file);
    expect(bytes.subarray(0, 9).toString('latin1')).toBe('%PDF-1.7\n');
    expect(bytes[9]).toBe(0x25);
    expect([...bytes.subarray(10, 14)].every((b) => b > 127)).toBe(true);
    expect(q.trailer['/ID']).toHaveLength(2);
    expect(q.trailer['/Encrypt']).toBeUndefined();
    expect(execFileSync('qpdf', ['--check', letter().file], { encoding: 'utf8' })).toContain('No syntax or stream encoding errors');
  });

  it('6.6.2.1 / 6.6.4 metadata: an unfiltered XMP stream on the catalog identifying PDF/A-3, level A', () => {
    const ref = String(q.catalog['/Metadata']);
    const dict = q.dict(ref);
    expect(dict['/Type']).toBe('/Metadata');
    expect(dict['/Subtype']).toBe('/XML');
    expect(dict['/Filter']).toBeUndefined();
    const packet = q.streamData(ref).toString('utf8');
    expect(packet).toMatch(/^<\?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"\?>/);
    expect(packet).not.toMatch(/<\?xpacket[^>]*(bytes|encoding)=/);
    expect(xmpValue(packet, 'pdfaid:part')).toBe('3');
    expect(xmpValue(packet, 'pdfaid:conformance')).toBe('A');
    expect(xmp(letter().file)).toBe(`${packet}\n`);
  });

  it('6.6.2.3 the XMP says what the Info dictionary says (poppler reads both)', async () => {
    const packet = xmp(letter().file);
    const i = info(letter().file);
    const front = (await readFile(letter().source, 'utf8')).match(/^title: (.*)$/m)?.[1];
    expect(i.Title).toBe(front);
    expect(xmpValue(packet, 'dc:title')).toBe(i.Title);
    expect(xmpValue(packet, 'dc:creator')).toBe(i.Author);
    expect(xmpValue(packet, 'dc:description')).toBe(i.Subject);
    expect(xmpValue(packet, 'pdf:Keywords')).toBe(i.Keywords);
    expect(xmpValue(packet, 'pdf:Producer')).toBe(i.Producer);
    expect(xmpValue(packet, 'xmp:CreatorTool')).toBe(i.Creator);
    expect(xmpValue(packet, 'dc:language')).toBe('zh-CN');
    // pdfinfo -isodates prints the Info dates as ISO 8601, e.g. 2023-12-01T00:00:00Z.
    expect(i.CreationDate).toMatch(/^\d{4}-\d\d-\d\dT00:00:00(Z|\+00)/);
    expect(new Date(xmpValue(packet, 'xmp:CreateDate') ?? '').getTime()).toBe(new Date(i.CreationDate ?? '').getTime());
    expect(new Date(xmpValue(packet, 'xmp:ModifyDate') ?? '').getTime()).toBe(new Date(i.ModDate ?? '').getTime());
    expect(xmpValue(packet, 'xmpMM:InstanceID')).toMatch(/^uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('6.2.3 output intent: GTS_PDFA1 with pdfkit’s sRGB ICC profile (3 components, RGB, display class)', () => {
    const intents = q.array(q.catalog['/OutputIntents']).map((i) => q.dict(i));
    expect(intents).toHaveLength(1);
    const intent = intents[0] as Dict;
    expect(intent['/S']).toBe('/GTS_PDFA1');
    expect(text(intent['/OutputConditionIdentifier'])).toBe('sRGB IEC61966-2.1');
    const ref = String(intent['/DestOutputProfile']);
    expect(q.dict(ref)['/N']).toBe(3);
    const icc = q.streamData(ref);
    const pdfkit = path.join(path.dirname(createRequire(import.meta.url).resolve('pdfkit')), 'data/sRGB_IEC61966_2_1.icc');
    return readFile(pdfkit).then((shipped) => {
      expect(icc.equals(shipped)).toBe(true);
      expect(icc.subarray(12, 20).toString('latin1')).toBe('mntrRGB ');
    });
  });

  it('6.1.7 no external streams; 6.2.4.3 only RGB and grey device colour (no CMYK); 6.2.5/6.2.10 no transfer functions or halftones, standard blend modes; 6.2.8/6.2.9 no interpolation, alternates, OPI, PostScript or reference XObjects; 6.3.3 appearances hold only /N', () => {
    const json = JSON.parse(
      execFileSync('qpdf', ['--json', '--json-key=qpdf', '--json-stream-data=inline', '--decode-level=generalized', letter().file], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 }),
    ) as { qpdf: [unknown, Record<string, { value?: Dict; stream?: { dict: Dict; data?: string } }>] };
    const objects = json.qpdf[1];
    expect(JSON.stringify(objects)).not.toMatch(/DeviceCMYK|\/Separation|\/DeviceN/);
    const blendModes = new Set(['/Normal', '/Compatible', '/Multiply', '/Screen', '/Overlay', '/Darken', '/Lighten', '/ColorDodge', '/ColorBurn', '/HardLight', '/SoftLight', '/Difference', '/Exclusion', '/Hue', '/Saturation', '/Color', '/Luminosity']);
    const contents = new Set(
      [...q.dicts()].filter(([, d]) => d['/Type'] === '/Page').flatMap(([, d]) => (Array.isArray(d['/Contents']) ? d['/Contents'] : [d['/Contents']]).map((r) => `obj:${String(r)}`)),
    );
    let contentStreams = 0;
    const visit = (value: unknown, where: string): void => {
      if (Array.isArray(value)) return value.forEach((v) => visit(v, where));
      if (!value || typeof value !== 'object') return;
      const dict = value as Dict;
      for (const key of ['/F', '/FFilter', '/FDecodeParms']) if (where.startsWith('stream')) expect(dict[key], `${where} ${key}`).toBeUndefined();
      if (dict['/BM'] !== undefined) for (const bm of [dict['/BM']].flat()) expect(blendModes.has(String(bm)), `${where} /BM ${String(bm)}`).toBe(true);
      expect(dict['/TR'], where).toBeUndefined();
      expect(dict['/HTP'], where).toBeUndefined();
      if (dict['/TR2'] !== undefined) expect(dict['/TR2']).toBe('/Default');
      expect(dict['/Alternates'], where).toBeUndefined();
      expect(dict['/OPI'], where).toBeUndefined();
      expect(dict['/Subtype'] === '/PS' || (dict['/Subtype'] === '/Form' && dict['/Ref'] !== undefined), where).toBe(false);
      if (dict['/Subtype'] === '/Image') expect(dict['/Interpolate'], where).not.toBe(true);
      if (dict['/Type'] === '/Annot' && dict['/AP']) expect(Object.keys(q.dict(dict['/AP'])), where).toEqual(['/N']);
      for (const [key, v] of Object.entries(dict)) if (key !== '/Parent' && key !== '/P') visit(v, where.replace(/^stream/, 'in'));
    };
    for (const [id, object] of Object.entries(objects)) {
      if (object.stream) {
        visit(object.stream.dict, `stream ${id}`);
        if (contents.has(id) || object.stream.dict['/Subtype'] === '/Form') {
          contentStreams++;
          // No CMYK colour operators (k, K) in any content stream.
          expect(Buffer.from(object.stream.data ?? '', 'base64').toString('latin1'), id).not.toMatch(/(^|\s)(-?[\d.]+\s+){4}[kK](?=\s)/);
        }
      } else visit(object.value, id);
    }
    expect(contentStreams).toBeGreaterThanOrEqual(contents.size);
  });

  it('6.2.11.4 every font is embedded; 6.2.11.7.2 (level A) every font has a Unicode map', () => {
    const fonts = pdfFonts(letter().file);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font.embedded, font.name).toBe(true);
    const table = execFileSync('pdffonts', [letter().file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    for (const line of table) expect(line.split(/\s+/).at(-3), line).toBe('yes');
    // 6.2.11.3.2: every Type 2 CIDFont maps CIDs to glyphs; 6.2.11.4.2: no (possibly incomplete) CIDSet.
    const cidFonts = [...q.dicts()].filter(([, d]) => d['/Subtype'] === '/CIDFontType2').map(([, d]) => d);
    expect(cidFonts.length).toBe(fonts.length);
    for (const font of cidFonts) {
      expect(font['/CIDToGIDMap']).toBeDefined();
      expect(q.dict(font['/FontDescriptor'])['/CIDSet']).toBeUndefined();
    }
  });

  it('6.3.2 every annotation prints and is not hidden; 6.5 no JavaScript, no additional actions, only URI/GoTo actions', () => {
    let annotations = 0;
    for (const [id, dict] of q.dicts()) {
      if (dict['/Type'] === '/Annot') {
        annotations++;
        const flags = Number(dict['/F']);
        expect(flags & 4, id).toBe(4);
        expect(flags & (1 | 2 | 32 | 256), id).toBe(0);
      }
      expect(dict['/AA'], id).toBeUndefined();
      expect(dict['/JS'], id).toBeUndefined();
      if (dict['/Type'] === '/Action') expect(['/URI', '/GoTo'], id).toContain(dict['/S']);
    }
    expect(annotations).toBeGreaterThan(0);
    expect(info(letter().file).JavaScript).toBe('no');
  });

  it('6.8 the source, its images and a build record are embedded as associated files', async () => {
    const af = q.array(q.catalog['/AF']).map((f) => q.dict(f));
    const names = q.array(q.dict(q.dict(q.catalog['/Names'])['/EmbeddedFiles'])['/Names']);
    expect(names.length).toBe(af.length * 2);
    const slug = path.basename(letter().source, '.md');
    const expected = [`${slug}.md`, 'letterpress-build.json', ...(index === 1 ? ['chart.svg'] : [])].sort();
    expect(af.map((f) => text(f['/UF'])).sort()).toEqual(expected);
    const infoDate = q.dict(q.trailer['/Info'])['/CreationDate'];
    for (const spec of af) {
      expect(spec['/Type']).toBe('/Filespec');
      expect(text(spec['/F'])).toBe(text(spec['/UF']));
      expect(spec['/AFRelationship']).toBe(text(spec['/UF']).endsWith('.json') ? '/Data' : '/Source');
      const stream = q.dict((spec['/EF'] as Dict)['/F']);
      expect(stream['/Type']).toBe('/EmbeddedFile');
      expect(String(stream['/Subtype'])).toMatch(/^\/(text\/markdown|image\/svg\+xml|application\/json)$/);
      const params = stream['/Params'] as Dict;
      expect(params['/ModDate']).toBe(infoDate);
      const data = q.streamData(String((spec['/EF'] as Dict)['/F']));
      expect(params['/Size']).toBe(data.length);
    }
    expect(execFileSync('pdfdetach', ['-list', letter().file], { encoding: 'utf8' })).toContain(`${expected.length} embedded files`);
    // What poppler extracts is the source byte for byte.
    const dir = await mkdtemp(path.join(out, 'detach-'));
    execFileSync('pdfdetach', ['-saveall', '-o', dir, letter().file]);
    expect((await readFile(path.join(dir, `${slug}.md`))).equals(await readFile(letter().source))).toBe(true);
    const record = JSON.parse(await readFile(path.join(dir, 'letterpress-build.json'), 'utf8')) as { files: Record<string, { bytes: number }>; chromiumVersion: string };
    expect(Object.keys(record.files).sort()).toEqual(expected.filter((n) => !n.endsWith('.json')));
    expect(record.chromiumVersion).toMatch(/Chrom/);
  });

  it('6.7 (level A) logical structure: Marked, a structure tree of standard or role-mapped types, a language', () => {
    expect((q.dict(q.catalog['/MarkInfo']) as Dict)['/Marked']).toBe(true);
    expect(text(q.catalog['/Lang'])).toBe('zh-CN');
    const root = q.dict(q.catalog['/StructTreeRoot']);
    const roleMap = (root['/RoleMap'] ? q.dict(root['/RoleMap']) : {}) as Dict;
    const standard = new Set(
      'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form'
        .split(' ')
        .map((t) => `/${t}`),
    );
    const types = [...q.dicts()].filter(([, d]) => d['/Type'] === '/StructElem').map(([, d]) => String(d['/S']));
    expect(types.length).toBeGreaterThan(20);
    for (const type of new Set(types)) expect(standard.has(type) || standard.has(String(roleMap[type])), type).toBe(true);
  });
});

describe('PDF/A-3 reproducibility', () => {
  it('the PDF alone is enough to rebuild it: what pdfdetach extracts builds the same bytes', async () => {
    const letter = letters[1] ?? (undefined as never);
    const dir = await mkdtemp(path.join(out, 'rebuild-'));
    execFileSync('pdfdetach', ['-saveall', '-o', dir, letter.file]);
    expect((await readdir(dir)).sort()).toEqual(['chart.svg', 'input.md', 'letterpress-build.json']);
    const result = await runCli(['build', path.join(dir, 'input.md'), '--pdfa', '--out', path.join(dir, 'out')]);
    expect(result.code, result.stderr).toBe(0);
    expect((await readFile(path.join(dir, 'out/input.pdf'))).equals(await readFile(letter.file))).toBe(true);
  });

  it('without --pdfa the PDF has none of it', () => {
    const q = new QpdfJson(inject('memoOut') + '/2023-12-llm-observations.pdf');
    expect(q.catalog['/Metadata']).toBeUndefined();
    expect(q.catalog['/OutputIntents']).toBeUndefined();
    expect(q.catalog['/AF']).toBeUndefined();
  });
});
