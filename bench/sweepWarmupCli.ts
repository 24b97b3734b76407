/**
 * The CLI's 2-worker sweep against its 1-worker sweep, with the node flags a relaunch could
 * pass, and where each sweep's CPU goes per thread (not a test; Linux only). Each measurement
 * is a fresh `node <flags> dist/cli/main.js sweep <scenario> --seeds N --workers W --json`;
 * runs/s is the CLI's own (seeds / its timed window). A 2-worker variant is started with
 * `--single-threaded-gc` among its flags (what the relaunch adds), so the CLI runs it in that
 * process instead of relaunching; `--no-single-threaded-gc` after it gives V8's default GC.
 * While it runs, /proc/<pid>/task/<tid>/stat is read every 20 ms: the CPU of the main thread,
 * of each simulation thread (the last-created threads, they end before the process) and of
 * V8's and libuv's helper threads (TurboFan compiles, GC helpers), and each worker's CPU over
 * its first seconds. The variants take turns round by round; ratios are to the 1-worker
 * measurement of the same round. docs/benchmarks.md, "Warm-up of a 2-worker sweep".
 *
 *   npm run build && npx tsx bench/sweepWarmupCli.ts [--seeds 96000] [--rounds 3] [--dist /tmp/old/dist --dist dist]
 *     [--variant '2:--single-threaded-gc' --variant '2:--single-threaded-gc --single-threaded' ...]
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { seeds: { type: 'string', default: '96000' }, rounds: { type: 'string', default: '3' }, variant: { type: 'string', multiple: true }, scenario: { type: 'string', default: 'flash-sale-chaos' }, strategy: { type: 'string', default: 'reservation' }, dist: { type: 'string', multiple: true } } });
/** Builds to compare, interleaved round by round (`--dist /tmp/old/dist --dist dist`). */
const dists = (values.dist ?? ['dist']).map((d) => resolve(ROOT, d));
/** "workers:flags"; the first 1-worker variant is each round's baseline. */
const variants = (values.variant ?? ['1:', '2:--single-threaded-gc']).map((v) => {
  const i = v.indexOf(':');
  return { workers: Number(v.slice(0, i)), flags: v.slice(i + 1).split(' ').filter((x) => x !== ''), label: v };
});
const TICK_MS = 10; // USER_HZ 100 on Linux
const SAMPLE_MS = 20;

interface ThreadSeen {
  firstMs: number;
  lastMs: number;
  cpuMs: number;
  /** [ms since spawn, cumulative CPU ms] at every sample. */
  curve: Array<[number, number]>;
}

function cpuOf(pid: number, tid: string): number | null {
  try {
    const s = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return null;
  }
}

async function measure(dist: string, workers: number, flags: readonly string[]) {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const args = [...flags, resolve(dist, 'cli/main.js'), 'sweep', resolve(ROOT, 'scenarios', `${values.scenario}.json`), '--strategy', values.strategy!, '--seeds', values.seeds!, '--workers', String(workers), '--json'];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const seen = new Map<string, ThreadSeen>();
  const pid = child.pid!;
  const sample = () => {
    const now = performance.now() - t0;
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      return;
    }
    for (const tid of tids) {
      const ms = cpuOf(pid, tid);
      if (ms === null) continue;
      const t = seen.get(tid) ?? { firstMs: now, lastMs: now, cpuMs: 0, curve: [] };
      t.lastMs = now;
      t.cpuMs = ms;
      t.curve.push([now, ms]);
      seen.set(tid, t);
    }
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const code = await new Promise<number | null>((ok) => child.on('exit', (c) => ok(c)));
  clearInterval(timer);
  if (code !== 0 && code !== 1) throw new Error(`sweep exited ${code}`);
  const report = JSON.parse(out) as { runsPerSecond: number; elapsedMs: number; runs: number };
  const tids = [...seen.keys()].map(Number).sort((a, b) => a - b);
  // The simulation threads: the last `workers` threads created that did real work (libuv's
  // pool threads are created before them, at the first file read).
  const sims = tids.filter((t) => t !== pid && seen.get(String(t))!.cpuMs >= 100).slice(-workers);
  const main = seen.get(String(pid))?.cpuMs ?? 0;
  const simMs = sims.map((t) => seen.get(String(t))!.cpuMs);
  const helpers = tids.filter((t) => t !== pid && !sims.includes(t)).reduce((s, t) => s + seen.get(String(t))!.cpuMs, 0);
  // A worker's CPU over its first seconds (from its first sample): where the warm-up goes.
  const firstSeconds = sims.map((t) => {
    const th = seen.get(String(t))!;
    return [1000, 2000, 3000].map((at) => th.curve.filter(([ms]) => ms - th.firstMs <= at).at(-1)?.[1] ?? 0);
  });
  // The main thread's CPU until the first simulation thread appeared: loading the CLI, the
  // scenario and the strategy, mostly before the sweep's timed window starts.
  const firstSim = Math.min(...sims.map((t) => seen.get(String(t))!.firstMs));
  const mainCurve = seen.get(String(pid))?.curve ?? [];
  const mainBefore = mainCurve.filter(([ms]) => ms <= firstSim).at(-1)?.[1] ?? 0;
  return { runsPerSecond: report.runsPerSecond, elapsedMs: report.elapsedMs, main, mainBefore, simMs, helpers, firstSeconds, runs: report.runs };
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`CLI sweep of ${values.scenario} --strategy ${values.strategy}, ${values.seeds} seeds; load ${load()}\n`);
console.log('| round | build | workers: node flags | load (1 min) | elapsed ms | runs/s | vs 1 worker | main CPU ms (of it before the workers) | each simulation thread CPU ms | helpers CPU ms | all threads CPU ms | CPU ms per 1 000 runs per sim thread | sim CPU at 1/2/3 s of its life |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (let round = 1; round <= Number(values.rounds); round++) for (const dist of dists) {
  let base: number | null = null;
  // The 1-worker baseline first; the others in an order that rotates round by round, so that
  // no variant always follows the same one (a neighbour's leftover load).
  const ones = variants.filter((v) => v.workers === 1);
  const rest = variants.filter((v) => v.workers !== 1);
  const order = [...ones, ...rest.slice((round - 1) % rest.length), ...rest.slice(0, (round - 1) % rest.length)];
  for (const v of order) {
    const m = await measure(dist, v.workers, v.flags);
    if (v.workers === 1 && base === null) base = m.runsPerSecond;
    const perThread = (Number(values.seeds) / v.workers / 1000);
    const ratio = base === null ? '' : `${(m.runsPerSecond / base).toFixed(2)}x`;
    console.log(`| ${round} | ${dist.replace(ROOT + '/', '')} | ${v.label} | ${loadavg()[0].toFixed(2)} | ${m.elapsedMs} | ${m.runsPerSecond} | ${ratio} | ${m.main} (${m.mainBefore}) | ${m.simMs.join(', ')} | ${m.helpers} | ${m.main + m.helpers + m.simMs.reduce((a, b) => a + b, 0)} | ${m.simMs.map((s) => Math.round(s / perThread)).join(', ')} | ${m.firstSeconds.map((c) => c.join('/')).join('; ')} |`);
  }
}
console.log(`\nload after: ${load()}`);
