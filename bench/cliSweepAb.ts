/**
 * The CLI sweep of two builds, 1 and 2 workers, alternated measurement by measurement (not a
 * test): `oversold sweep <scenario> --strategy S --seeds N --workers 2|1 --json` of each build,
 * run as a user runs it (a process each, the CLI's own relaunch included). Prints, per
 * measurement, the sweep's own elapsedMs and runs/s (its window: workers spawned, modules
 * loaded, JIT warm-up, runs, threads ended), the whole process's wall time (what a user waits
 * for: node's start, the relaunch, parsing, the window, the exit), its CPU time (the CLI's
 * process and the child it relaunches, every thread) and the load average; then,
 * per build and round, 2 workers vs 1 in runs/s. Wall time on a shared machine: read the load.
 *
 *   npm run build && npx tsx bench/cliSweepAb.ts --old /tmp/old [--seeds 96000] [--rounds 3]
 *     [--strategy reservation] [--scenario scenarios/flash-sale-chaos.json]
 *
 * `--old`: a checkout of another commit, built (its dist/cli/main.js is run). docs/benchmarks.md,
 * "Worker boot".
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    old: { type: 'string' },
    seeds: { type: 'string', default: '96000' },
    rounds: { type: 'string', default: '3' },
    strategy: { type: 'string', default: 'reservation' },
    scenario: { type: 'string', default: 'scenarios/flash-sale-chaos.json' },
  },
});
if (!values.old) throw new Error('--old <dir>: a built checkout of the commit to compare with');
const builds = [
  { name: 'this', dir: ROOT },
  { name: 'old', dir: resolve(values.old) },
];
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/** CPU ms of this process's ended children (and theirs, waited for): cutime + cstime of /proc/self/stat, 10 ms ticks. */
function childrenCpuMs(): number {
  const s = readFileSync('/proc/self/stat', 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * 10;
}

function sweep(dir: string, workers: number): { elapsedMs: number; runsPerSecond: number; processMs: number; cpuMs: number } {
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [resolve(dir, 'dist/cli/main.js'), 'sweep', resolve(ROOT, values.scenario!), '--strategy', values.strategy!, '--seeds', values.seeds!, '--workers', String(workers), '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const processMs = performance.now() - t0;
  const cpuMs = childrenCpuMs() - c0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`sweep exited ${r.status}: ${r.stderr}`);
  const j = JSON.parse(r.stdout) as { elapsedMs: number; runsPerSecond: number; runs: number };
  if (j.runs !== Number(values.seeds)) throw new Error(`ran ${j.runs} of ${values.seeds}`);
  return { elapsedMs: j.elapsedMs, runsPerSecond: j.runsPerSecond, processMs, cpuMs };
}

console.log(`node ${process.version}; ${values.scenario} --strategy ${values.strategy} --seeds ${values.seeds}; ${values.rounds} rounds; load ${load()}`);
console.log('| round | build | workers | elapsedMs | runs/s | process wall ms | process CPU ms (with a relaunched child) | load (1 min) before |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
const rates = new Map<string, Array<{ one?: number; two?: number }>>(builds.map((b) => [b.name, []]));
for (let round = 0; round < Number(values.rounds); round++) {
  // The order flips every round: neither build always runs right after the other.
  const order = round % 2 === 0 ? builds : [...builds].reverse();
  for (const b of order) {
    for (const workers of [2, 1]) {
      const before = loadavg()[0].toFixed(2);
      const m = sweep(b.dir, workers);
      const row = (rates.get(b.name)![round] ??= {});
      if (workers === 1) row.one = m.runsPerSecond;
      else row.two = m.runsPerSecond;
      console.log(`| ${round + 1} | ${b.name} | ${workers} | ${m.elapsedMs} | ${m.runsPerSecond} | ${Math.round(m.processMs)} | ${m.cpuMs} | ${before} |`);
    }
  }
}
for (const [name, rows] of rates) console.log(`${name}: 2 vs 1 workers, same round: ${rows.map((r) => `${(r.two! / r.one!).toFixed(2)}x`).join(', ')}`);
console.log(`load after: ${load()}`);
