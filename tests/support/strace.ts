/** One system call from `strace -f` output, with its `<unfinished ...>` and `resumed>` halves joined. */
export interface Syscall {
  tid: number;
  name: string;
  /** The arguments as strace prints them. */
  args: string;
  /** The return value (a number for fds and counts; NaN for `?`). */
  result: number;
}

/** Reads `strace -f -qq -e signal=none` output. */
export function parseStrace(text: string): Syscall[] {
  const pending = new Map<number, string>();
  const calls: Syscall[] = [];
  for (const line of text.split('\n')) {
    const resumed = /^(\d+)\s+<\.\.\. \w+ resumed>(.*)$/.exec(line);
    const unfinished = /^(\d+)\s+(.*) <unfinished \.\.\.>$/.exec(line);
    if (unfinished) {
      pending.set(Number(unfinished[1]), unfinished[2]!);
      continue;
    }
    const whole = resumed ? `${pending.get(Number(resumed[1])) ?? ''}${resumed[2]}` : line.replace(/^\d+\s+/, '');
    const tid = Number((resumed ?? /^(\d+)/.exec(line) ?? [])[1]);
    const call = /^(\w+)\((.*)\)\s+=\s+(-?\d+|\?)/.exec(whole);
    if (call) calls.push({ tid, name: call[1]!, args: call[2]!, result: Number(call[3]) });
  }
  return calls;
}

export interface Destination {
  family: 'AF_INET' | 'AF_INET6';
  address: string;
  port: number;
}

/** The internet address a connect or send names, if any (Unix sockets and netlink have none). */
export function destination(call: Syscall): Destination | undefined {
  const v4 = /sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)/.exec(call.args);
  if (v4) return { family: 'AF_INET', address: v4[2]!, port: Number(v4[1]) };
  const v6 = /sin6_port=htons\((\d+)\).*?inet_pton\(AF_INET6, "([^"]+)"/.exec(call.args);
  if (v6) return { family: 'AF_INET6', address: v6[2]!, port: Number(v6[1]) };
  return undefined;
}

export function isLoopback({ address }: Destination): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}
