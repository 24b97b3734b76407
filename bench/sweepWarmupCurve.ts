/**
 * Runs completed over time by each worker of a sweep, from its first request (not a test;
 * Linux only). Each measurement is a fresh `node <flags>` child that sets the CLI's GC tuning,
 * starts W worker threads as a sweep does (SimWorker, the scenario's heap limit) and gives
 * each one request of seeds/W seeds with progress on (a message every 64 runs): the curve
 * shows how long each worker runs slow, unoptimised code while its compiles wait for a core.
 * Printed: runs done by each worker at 0.5, 1, 2, 4 s after the requests were sent, the time
 * to its first 1 000 and 3 000 runs, and the process's CPU split (main thread, simulation
 * threads, V8/libuv helpers). Variants take turns round by round. docs/benchmarks.md,
 * "Warm-up of a 2-worker sweep".
 *
 *   npm run build && npx tsx bench/sweepWarmupCurve.ts [--seeds 12000] [--rounds 2]
 *     [--variant '2:--single-threaded-gc' --variant '2:--single-threaded' --variant '1:']
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { seeds: { type: 'string', default: '12000' }, rounds: { type: 'string', default: '2' }, variant: { type: 'string', multiple: true }, scenario: { type: 'string', default: 'flash-sale-chaos' }, strategy: { type: 'string', default: 'reservation' } } });
const variants = (values.variant ?? ['2:--single-threaded-gc', '2:--single-threaded']).map((v) => {
  const i = v.indexOf(':');
  return { workers: Number(v.slice(0, i)), flags: v.slice(i + 1).split(' ').filter((x) => x !== ''), label: v };
});
const dist = resolve(ROOT, 'dist');
/** Runs every worker has done before the steady part is measured. */
const WARM_RUNS = 3000;

/** The child: W workers, one request each, every progress message timestamped. */
const child = (workers: number) => `
import { readdirSync, readFileSync } from 'node:fs';
const TICK_MS = 10;
const cpu = () => { const m = new Map(); for (const t of readdirSync('/proc/self/task')) { try { const s = readFileSync('/proc/self/task/' + t + '/stat', 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); m.set(Number(t), (Number(f[11]) + Number(f[12])) * TICK_MS); } catch {} } return m; };
const { tuneGcForSweeps } = await import(${JSON.stringify(resolve(dist, 'explore/gcTuning.js'))});
tuneGcForSweeps();
const { loadScenarioFile } = await import(${JSON.stringify(resolve(dist, 'scenario/index.js'))});
const { SimWorker } = await import(${JSON.stringify(resolve(dist, 'explore/pool.js'))});
const { newControl } = await import(${JSON.stringify(resolve(dist, 'explore/worker.js'))});
const { plainScenario } = await import(${JSON.stringify(resolve(dist, 'explore/determinism.js'))});
const { threadHeapMb } = await import(${JSON.stringify(resolve(dist, 'explore/memory.js'))});
const loaded = loadScenarioFile(${JSON.stringify(resolve(ROOT, 'scenarios', `${values.scenario}.json`))});
const scenario = plainScenario(loaded.scenario);
const heapMb = threadHeapMb(scenario);
const W = ${workers}, N = ${Number(values.seeds)}, per = Math.ceil(N / W);
const control = newControl();
const before = cpu();
const t0 = performance.now();
const pool = Array.from({ length: W }, () => new SimWorker({ watchdog: null, heapMb }));
const curves = pool.map(() => [[0, 0]]);
const done = pool.map(() => 0);
// The simulation threads' CPU once every worker has run WARM runs, and at the end: the CPU
// per run of the steady part, without the warm-up.
const simCpu = () => { let s = 0; for (const [tid, v] of cpu()) if (!before.has(tid)) s += v; return s; };
let warm = null;
const WARM = ${WARM_RUNS};
await Promise.all(pool.map((w, i) => {
  let runs = 0;
  return w.request({ kind: 'sweep', scenario, strategy: ${JSON.stringify(values.strategy)}, cwd: ${JSON.stringify(ROOT)}, start: 1 + i * per, count: per, failFast: false, hashes: false, progress: true, control, search: null }, (r) => {
    runs += r; done[i] = runs; curves[i].push([performance.now() - t0, runs]);
    if (warm === null && done.every((d) => d >= WARM)) warm = { cpu: simCpu(), runs: done.reduce((a, b) => a + b, 0) };
  })
    // The reply carries the runs not yet reported by a progress message.
    .then((reply) => { runs += reply.runs; curves[i].push([performance.now() - t0, runs]); });
}));
const wallMs = performance.now() - t0;
const after = cpu();
let steady = null;
if (warm !== null) { let s = 0; for (const [tid, v] of after) if (!before.has(tid)) s += v; steady = (s - warm.cpu) / ((N - warm.runs) / 1000); }
// Threads made after the first reading are the workers (still alive: not yet terminated).
let main = 0, helpers = 0; const sim = [];
for (const [tid, v] of after) { const d = v - (before.get(tid) ?? 0); if (tid === process.pid) main = d; else if (before.has(tid)) helpers += d; else sim.push(d); }
console.log('RESULT ' + JSON.stringify({ curves, wallMs, main, sim, helpers, steady }));
await Promise.all(pool.map((w) => w.terminate()));
`;

function measure(workers: number, flags: readonly string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'warmup-curve-'));
  const file = join(dir, 'child.mjs');
  writeFileSync(file, child(workers));
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, [...flags, file], { encoding: 'utf8', env, maxBuffer: 64 << 20 });
  rmSync(dir, { recursive: true, force: true });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) throw new Error(`child failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(line.slice(7)) as { curves: Array<Array<[number, number]>>; wallMs: number; main: number; sim: number[]; helpers: number; steady: number | null };
}

const runsAt = (curve: Array<[number, number]>, ms: number) => curve.filter(([t]) => t <= ms).at(-1)?.[1] ?? 0;
const timeTo = (curve: Array<[number, number]>, runs: number) => Math.round(curve.find(([, r]) => r >= runs)?.[0] ?? NaN);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`${values.seeds} seeds of ${values.scenario} --strategy ${values.strategy}, one request per worker; load ${load()}\n`);
console.log('| round | workers: node flags | load (1 min) | each worker: runs at 0.5 / 1 / 2 / 4 s | ms to 1 000 runs | ms to 3 000 runs | wall ms | main / simulation / helpers CPU ms | simulation CPU ms per 1 000 runs once each worker has done 3 000 |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const v of variants) {
    const m = measure(v.workers, v.flags);
    const at = m.curves.map((c) => [500, 1000, 2000, 4000].map((ms) => runsAt(c, ms)).join(' / ')).join('; ');
    console.log(`| ${round} | ${v.label} | ${loadavg()[0].toFixed(2)} | ${at} | ${m.curves.map((c) => timeTo(c, 1000)).join(', ')} | ${m.curves.map((c) => timeTo(c, 3000)).join(', ')} | ${Math.round(m.wallMs)} | ${m.main} / ${m.sim.join(', ')} / ${m.helpers} | ${m.steady === null ? '' : Math.round(m.steady)} |`);
  }
}
console.log(`\nload after: ${load()}`);
