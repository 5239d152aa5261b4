import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecipients } from '../../src/distribute/read-recipients.ts';
import { RecipientListError } from '../../src/distribute/recipient-list-error.ts';

async function csvFile(content: string | Uint8Array): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-recipients-'));
  const file = path.join(dir, 'recipients.csv');
  await writeFile(file, content);
  return file;
}

describe('readRecipients', () => {
  it('reads UTF-8 with a BOM, quoted commas, optional e-mail, blank lines, and keeps each row’s line', async () => {
    const file = await csvFile('\uFEFFid,name,email\nlp-001,张伟,zw@example.com\n\nlp-002,"Smith, Alice",\nLP_3.a,欧阳娜娜 Ouyang,\n');
    expect(await readRecipients(file, '/')).toEqual([
      { id: 'lp-001', name: '张伟', email: 'zw@example.com', line: 2 },
      { id: 'lp-002', name: 'Smith, Alice', email: undefined, line: 4 },
      { id: 'LP_3.a', name: '欧阳娜娜 Ouyang', email: undefined, line: 5 },
    ]);
  });

  it('accepts columns in any order, without e-mail', async () => {
    const file = await csvFile('name,id\nAlice,a1\n');
    expect(await readRecipients(file, '/')).toEqual([{ id: 'a1', name: 'Alice', line: 2 }]);
  });

  it('composes decomposed names (NFC): `e` + U+0301 becomes `é`', async () => {
    const file = await csvFile('id,name\nlp-1,Garcie\u0301\n');
    const [recipient] = await readRecipients(file, '/');
    expect(recipient?.name).toBe('Garci\u00e9');
    expect([...(recipient?.name ?? '')]).toHaveLength(6);
  });

  it('reads an address over several lines, and names that differ to the eye', async () => {
    const file = await csvFile('id,name,address\nlp-1,张伟,"北京市朝阳区\n建国路 1 号\n100022"\nlp-2,陈静 Chen Jing,\nlp-3,Seán O’Brien,\nlp-4,Sean O’Brien,\n');
    expect(await readRecipients(file, '/')).toEqual([
      { id: 'lp-1', name: '张伟', address: ['北京市朝阳区', '建国路 1 号', '100022'], line: 2 },
      { id: 'lp-2', name: '陈静 Chen Jing', line: 5 },
      { id: 'lp-3', name: 'Seán O’Brien', line: 6 },
      { id: 'lp-4', name: 'Sean O’Brien', line: 7 },
    ]);
  });

  // Each bad list fails on the line at fault, with a message that says what is wrong.
  const bad: [string, string | Uint8Array, number, RegExp][] = [
    ['an empty file', '', 1, /empty/],
    ['a file of blank lines', '\n\n', 1, /empty/],
    ['a header only', 'id,name\n', 2, /no recipients/],
    ['a header without name', 'id,email\na,x@example.com\n', 1, /header must name the columns id,name/],
    ['an unknown column', 'id,name,phone\na,Alice,123\n', 1, /header must name/],
    ['a missing name', 'id,name\nlp-1,Alice\nlp-2,\n', 3, /name is missing/],
    ['a name of spaces only', 'id,name\nlp-1,Alice\nlp-2,"   "\n', 3, /name is only spaces/],
    ['a name of full-width and no-break spaces only', 'id,name\nlp-1,\u3000\u00A0\u3000\n', 2, /name is only spaces/],
    ['a row with too few fields', 'id,name\nlp-1,Alice\nlp-2\n', 3, /malformed CSV/],
    ['a duplicate id', 'id,name\nlp-1,Alice\nlp-2,Bob\nlp-1,Carol\n', 4, /duplicate id `lp-1` \(first at line 2\)/],
    ['a duplicate id in another case', 'id,name\nLP-1,Alice\nlp-1,Bob\n', 3, /duplicate id `lp-1` \(first at line 2\)/],
    ['an id climbing out of the folder', 'id,name\nlp-1,Alice\n../x,Bob\n', 3, /id must be/],
    ['an id with a slash', 'id,name\na/b,Alice\n', 2, /id must be/],
    ['an id with a control character', 'id,name\n"a\u0001b",Alice\n', 2, /id must be/],
    ['a name with a slash', 'id,name\nlp-1,../x\n', 2, /name contains `\/`/],
    ['a name with a control character', 'id,name\nlp-1,"Al\u0007ice"\n', 2, /control or invisible/],
    ['a name with a bidi override', 'id,name\nlp-1,Alice\u202Egpj.exe\n', 2, /control or invisible/],
    ['a name the fonts cannot draw', 'id,name\nlp-1,Alice\nlp-2,Bob 😀\n', 3, /“😀”.*cannot draw/],
    ['a name too long for the footer', `id,name\nlp-1,${'张'.repeat(41)}\n`, 2, /longer than 40/],
    ['a bad e-mail', 'id,name,email\nlp-1,Alice,not-an-address\n', 2, /not an e-mail/],
    ['an unclosed quote (named where it opens)', 'id,name\nlp-1,Alice\nlp-2,"Bob\nlp-3,Carol\n', 3, /never closed/],
    ['a stray quote', 'id,name\nlp-1,"Alice"x\n', 2, /malformed CSV/],
    // 张伟 in GBK: D5C5 CEB0, on line 3.
    ['a name over two lines (named where its record starts)', 'id,name\nlp-1,Alice\n\nlp-2,"Bob\nSmith"\nlp-3,Carol\n', 4, /control or invisible/],
    ['a name over two lines at the end of the file', 'id,name\nlp-1,Alice\nlp-2,"Bob\r\nSmith"', 3, /control or invisible/],
    ['the same name twice', 'id,name\nlp-1,Alice Capital\nlp-2,Bob\nlp-3,Alice Capital\n', 4, /duplicate name `Alice Capital` \(also at line 2\)/],
    ['the same name in another case and width', 'id,name\nlp-1,Alice Capital\nlp-2,ＡＬＩＣＥ capital\n', 3, /looks like `Alice Capital` at line 2|duplicate name/],
    ['a name with a Cyrillic А among Latin letters', 'id,name\nlp-1,Alice Capital\nlp-2,\u0410lice Capital\n', 3, /mixes Cyrillic and Latin letters/],
    ['a Cyrillic name that looks like a Latin one', 'id,name\nlp-1,Capa Co\nlp-2,\u0421\u0430\u0440\u0430 \u0421\u043e\n', 3, /looks like `Capa Co` at line 2/],
    ['a Greek name that looks like a Latin one', 'id,name\nlp-1,\u039a\u039f\u03a1\u0391\nlp-2,Kopa\n', 3, /looks like `ΚΟΡΑ` at line 2/],
    ['digits and rn that look like letters', 'id,name\nlp-1,Modern 1\nlp-2,Modem l\n', 3, /looks like `Modern 1` at line 2/],
    ['an address over too many lines', 'id,name,address\nlp-1,Alice,"1\n2\n3\n4\n5\n6"\n', 2, /more than 5 lines/],
    ['an address with a character the fonts cannot draw', 'id,name,address\nlp-1,Alice,"Road 😀"\n', 2, /address contains “😀”/],
    ['a GBK file', Buffer.concat([Buffer.from('id,name\nlp-1,Alice\nlp-2,'), Buffer.from([0xd5, 0xc5, 0xce, 0xb0]), Buffer.from('\n')]), 3, /not UTF-8/],
  ];

  it.each(bad)('refuses %s, naming its line', async (_, content, line, message) => {
    const file = await csvFile(content);
    const error = await readRecipients(file, '/').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RecipientListError);
    expect((error as RecipientListError).line).toBe(line);
    expect((error as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}: `));
    expect((error as Error).message).toMatch(message);
  });
});
