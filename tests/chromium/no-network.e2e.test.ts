import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPdf } from '../support/pdf.ts';
import { cli, nodeArgs, projectRoot } from '../support/run-cli.ts';
import { destination, isLoopback, parseStrace, type Syscall } from '../support/strace.ts';

/** Links to the hosts Chromium used to call on each build; links alone must not make it resolve them. */
const letter = `---
title: 网络测试
recipients: LPs
date: 2024-01
author: 拾象
organisation: 拾象
confidentiality: 保密
---

## 链接

见 <https://accounts.google.com/x>、[更新](https://update.googleapis.com/service) 与 https://clients2.google.com/y。
`;

const sends = new Set(['sendto', 'sendmsg', 'sendmmsg', 'write', 'writev']);

describe('a build under strace', () => {
  let calls: Syscall[];
  let pdf: Buffer;

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'letterpress-strace-'));
    await writeFile(path.join(dir, 'links.md'), letter);
    const trace = path.join(dir, 'trace.txt');
    await promisify(execFile)(
      'strace',
      ['-f', '-qq', '-e', 'signal=none', '-e', 'trace=execve,socket,connect,sendto,sendmsg,sendmmsg,write,writev,close', '-o', trace, process.execPath, ...nodeArgs(cli, ['build', path.join(dir, 'links.md'), '--out', path.join(dir, 'out')])],
      { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024 },
    );
    calls = parseStrace(await readFile(trace, 'utf8'));
    pdf = await readFile(path.join(dir, 'out/links.pdf'));
  });

  it('traced the whole build, Chromium included', async () => {
    expect(calls.some((c) => c.name === 'execve' && c.args.includes('chromium') && c.result === 0)).toBe(true);
    expect((await readPdf(pdf)).flatMap((p) => p.items.map((i) => i.str)).join('')).toContain('accounts.google.com');
  });

  it('sends nothing to any address but loopback, and asks no DNS server anything', () => {
    const internet = calls.filter((c) => (c.name === 'connect' || sends.has(c.name)) && destination(c));
    expect(internet.filter((c) => destination(c)!.port === 53).map((c) => c.args)).toEqual([]);
    expect(internet.filter((c) => sends.has(c.name) && !isLoopback(destination(c)!)).map((c) => c.args)).toEqual([]);
  });

  it('connects no socket to another host; a UDP socket connected only to learn the route sends nothing before it is closed', () => {
    const problems: string[] = [];
    calls.forEach((call, i) => {
      const to = destination(call);
      if (call.name !== 'connect' || !to || isLoopback(to)) return;
      const fd = Number(call.args.split(',')[0]);
      // Chromium's IPv6 probe: a datagram socket, connected (which sends no packet) and closed; nothing may be written to it.
      const opened = calls.slice(0, i).findLast((c) => c.tid === call.tid && c.name === 'socket' && c.result === fd);
      if (!opened?.args.includes('SOCK_DGRAM')) problems.push(`not a datagram socket: connect(${call.args})`);
      for (const later of calls.slice(i + 1)) {
        if (later.tid !== call.tid || Number(later.args.split(',')[0]) !== fd) continue;
        if (later.name === 'close') break;
        if (sends.has(later.name)) problems.push(`${later.name} after connect(${call.args})`);
      }
    });
    expect(problems).toEqual([]);
  });
});
