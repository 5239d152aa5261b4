import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  cmdline: string;
}

/** Every process on the machine, from /proc (Linux). */
export function processes(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
        // The command name in /proc/<pid>/stat is in parentheses and may hold spaces; the ppid follows the last one.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return [{ pid: Number(name), ppid, cmdline }];
      } catch {
        return []; // It exited while we looked.
      }
    });
}

/** The processes whose command line holds `marker`, and all their descendants (Chromium's zygotes, utilities, crashpad). */
export function processTree(marker: string): ProcessInfo[] {
  const all = processes();
  const found = new Map(all.filter((p) => p.cmdline.includes(marker)).map((p) => [p.pid, p]));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.set(p.pid, p);
        grew = true;
      }
    }
  }
  return [...found.values()];
}

/** Polls `check` every 100 ms until it returns a value other than undefined, or `limitMs` passes (then undefined). */
export async function waitFor<T>(check: () => T | undefined, limitMs: number): Promise<T | undefined> {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = check();
    if (value !== undefined || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether one of `tree` still runs (the same pid with the same command line: pids get reused). */
export function stillRunning(tree: ProcessInfo[]): ProcessInfo[] {
  const now = new Map(processes().map((p) => [p.pid, p.cmdline]));
  return tree.filter((p) => now.get(p.pid) === p.cmdline);
}
