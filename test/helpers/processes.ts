/** Processes seen through /proc (Linux): children of a pid, CPU time used, alive or not. */
import { readFileSync, readdirSync } from 'node:fs';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // gone already
    }
  }
  return out;
}

/** CPU seconds a process (all its threads) has used: past start-up, it is running simulations. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** Waits until `pid` (or its relaunched child) has spent `seconds` of CPU: a machine-speed-independent "it is sweeping now". */
export async function busyFor(pid: number, seconds: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (cpuSeconds(pid) + childrenOf(pid).reduce((n, c) => n + cpuSeconds(c), 0) >= seconds) return;
    await sleep(100);
  }
  throw new Error(`process ${pid} never got busy`);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

