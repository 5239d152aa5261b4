import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { cli, type CliResult, nodeArgs, projectRoot, runCli, runProcess } from '../support/run-cli.ts';

/*
 * Faults of the output's file system, as the kernel reports them (the suite
 * runs as root here, which no permission bits stop): /proc/sys and /sys refuse
 * new files to everyone (EACCES), and a small tmpfs, mounted in a mount
 * namespace of the test's own, fills up (ENOSPC).
 */

const memo = path.join(projectRoot, 'content/2023-12-llm-observations.md');
const name = '2023-12-llm-observations';

/** One line, no stack: what a user reads. */
function expectOneLine(result: CliResult): string {
  const lines = result.stderr.split('\n').filter((line) => line.startsWith('letterpress: '));
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('an output folder named by mistake (exit 2, before anything is built)', () => {
  it.each([
    ['empty', '', '--out is empty: give it a value'],
    ['below a file', `${memo}/out`, `--out ${memo}/out: ${memo} is a file, not a folder; name a folder (it is made when missing)`],
  ])('%s', async (_case, out, message) => {
    const result = await runCli(['build', memo, '--out', out]);
    expect(result.code).toBe(2);
    expect(expectOneLine(result)).toBe(`letterpress: ${message}`);
    expect(result.stderr).not.toMatch(/letterpress load/);
  });
});

describe('an output folder letterpress may not write into (EACCES)', () => {
  it('is refused before anything is built when the folder says so', async () => {
    const result = await runCli(['build', memo, '--out', '/proc/sys/kernel/letters']);
    expect(result.code).toBe(1);
    expect(expectOneLine(result)).toBe('letterpress: --out /proc/sys/kernel: EACCES: letterpress may not read or write it; check its owner and permissions');
    expect(result.stderr).not.toMatch(/letterpress markdown/);
  });

  it('ends with one line and exit 1 when only the write finds out', async () => {
    const result = await runCli(['build', memo, '--out', '/sys']);
    expect(result.code).toBe(1);
    expect(expectOneLine(result)).toMatch(
      /^letterpress: cannot write the outputs: \/sys\/2023-12-llm-observations\.(html|pdf)\.\d+\.tmp: EACCES: letterpress may not read or write it; check its owner and permissions; earlier outputs are unchanged$/,
    );
  });
});

describe('a full disk while the outputs are written (ENOSPC)', () => {
  it('says so in one line, exit 1, and leaves the earlier outputs byte for byte and no temporary', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-full-'));
    const mountPoint = path.join(dir, 'disk');
    await mkdir(mountPoint);
    // An edited memo, so the new outputs differ from the earlier ones.
    const letter = path.join(dir, `${name}.md`);
    await writeFile(letter, (await readFile(memo, 'utf8')).replace('最新判断猜想', '最新判断与猜想'));
    const earlier = path.join(dir, 'earlier');
    await mkdir(earlier);
    for (const ext of ['html', 'pdf']) await copyFile(path.join(inject('memoOut'), `${name}.${ext}`), path.join(earlier, `${name}.${ext}`));
    // The earlier outputs on a 2 MB disk, then a filler that leaves 64 KB: the new HTML's temporary cannot be written.
    const script = `
      set -e
      disk="$1"; earlier="$2"; node="$3"; shift 3
      mount -t tmpfs -o size=2m tmpfs "$disk"
      mkdir "$disk/out" && cp "$earlier"/* "$disk/out/"
      free=$(df --output=avail -B1 "$disk" | tail -1)
      head -c $((free - 65536)) /dev/zero > "$disk/filler" || true
      (cd "$disk/out" && sha256sum *) > "$disk/before.txt"
      set +e
      "$node" "$@" 1>/dev/null
      echo "exit=$?"
      (cd "$disk/out" && sha256sum *) | cmp -s - "$disk/before.txt" && echo "outputs unchanged"
      ls -A "$disk/out"
    `;
    const args = nodeArgs(cli, ['build', letter, '--out', path.join(mountPoint, 'out')]);
    const result = await runProcess('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', mountPoint, earlier, process.execPath, ...args]);
    expect(result.stdout, result.stderr).toContain('exit=1');
    expect(expectOneLine(result)).toMatch(
      /^letterpress: cannot write the outputs: \S+\/disk\/out: ENOSPC: the disk is full; free space and run again; earlier outputs are unchanged$/,
    );
    expect(result.stdout).toContain('outputs unchanged');
    // Nothing but the earlier outputs in the folder: no temporary, no journal.
    expect(result.stdout.trim().split('\n').slice(-2)).toEqual([`${name}.html`, `${name}.pdf`]);
  });
});
