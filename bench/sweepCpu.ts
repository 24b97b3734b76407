/**
 * Where a sweep's CPU goes, per thread (not a test; Linux only: reads /proc/self/task/<tid>/stat).
 * Wall-clock ratios are unfair on a shared machine; CPU time per thread is not: how much of the
 * process's CPU the main thread spends posting chunks and merging tallies, against what the
 * simulation threads spend running seeds. Workers run compiled code, so build first:
 *
 * Under `node --single-threaded-gc --import tsx` it measures what the CLI's 2-worker sweep runs
 * with (V8's helpers then only compile). Results and how to read them: docs/benchmarks.md,
 * "Round 3: the sweep's main thread".
 *
 *   npm run build && npx tsx bench/sweepCpu.ts [--runs 24000] [--workers 1,2] [--strategy reservation]
 *     [--scenario flash-sale-chaos] [--chunk N] [--rounds 1] [--dist /tmp/old/dist --dist dist]
 *     [--old-space 0,128]
 *
 * `--old-space`: the workers' first old-generation limit in MB, as variants interleaved with
 * the builds (V8's --initial-old-space-size, set before each measurement: it is read when a
 * worker's isolate is made; 0 is V8's default). Round 6 (docs/benchmarks.md) set it to 128.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import type * as Parallel from '../dist/explore/parallel.js';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { dist: { type: 'string', multiple: true }, runs: { type: 'string', default: '24000' }, workers: { type: 'string', default: '1,2' }, strategy: { type: 'string', default: 'reservation' }, scenario: { type: 'string', default: 'flash-sale-chaos' }, chunk: { type: 'string' }, rounds: { type: 'string', default: '1' }, 'old-space': { type: 'string' } } });
/** Builds to compare, interleaved (`--dist /tmp/old/dist --dist dist`: an older commit built elsewhere). */
const dists = (values.dist ?? ['dist']).map((d) => resolve(ROOT, d));
const builds = await Promise.all(dists.map(async (d) => ({ dir: d, sweepParallel: ((await import(resolve(d, 'explore/parallel.js'))) as typeof Parallel).sweepParallel })));
const { loadScenarioFile } = await import(resolve(dists[0], 'scenario/index.js'));
const { tuneGcForSweeps } = await import(resolve(dists[0], 'explore/gcTuning.js'));
tuneGcForSweeps();
/** First old-generation limits to compare (MB; 0: V8's default); none: whatever tuneGcForSweeps of the first build set. */
const oldSpaces: Array<number | null> = values['old-space'] ? values['old-space'].split(',').map(Number) : [null];
const loaded = loadScenarioFile(resolve(ROOT, 'scenarios', `${values.scenario}.json`));
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
const scenario = loaded.scenario;
const TICK_MS = 10; // USER_HZ 100 on Linux

/** CPU ms per thread id, with its name: utime + stime from /proc/self/task/<tid>/stat (10 ms ticks). */
function threads(): Map<number, { name: string; ms: number }> {
  const out = new Map<number, { name: string; ms: number }>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const s = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { name, ms: (Number(f[11]) + Number(f[12])) * TICK_MS });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

async function measure(sweepParallel: typeof Parallel.sweepParallel, workers: number, count: number) {
  const before = threads();
  const c0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  let progressCalls = 0;
  const r = await sweepParallel({ scenario, strategy: values.strategy!, cwd: ROOT, start: 1, count, workers, chunkSize: values.chunk ? Number(values.chunk) : undefined, onProgress: () => progressCalls++ });
  const wallMs = performance.now() - t0;
  const elu = performance.eventLoopUtilization(elu0);
  const c = process.cpuUsage(c0);
  const after = threads();
  if (r.tally.runs !== count) throw new Error(`ran ${r.tally.runs} of ${count}`);
  // The simulation threads have ended by now (the pool terminates them), but a process's CPU
  // time includes its ended threads': theirs is the total minus the threads still here (the
  // main thread and V8's helper threads, which live as long as the process).
  let main = 0;
  let helpers = 0;
  for (const [tid, a] of after) {
    const d = a.ms - (before.get(tid)?.ms ?? 0);
    if (tid === process.pid) main = d;
    else helpers += d;
  }
  const total = (c.user + c.system) / 1000;
  const sim = total - main - helpers;
  return { workers, wallMs, main, sim: Math.round(sim), helpers, total, elu: elu.utilization, progressCalls, runsPerSimCpuS: (count * 1000) / sim };
}

console.log(`sweep ${values.scenario} --strategy ${values.strategy}, ${values.runs} seeds, chunk ${values.chunk ?? 'default'}; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const b of builds) await measure(b.sweepParallel, 1, 500);
console.log('| build | first old-generation limit MB | workers | wall s | main thread CPU ms | simulation threads CPU ms | main / simulation | other threads (V8 helpers) ms | cores busy (process CPU / wall) | main loop utilisation | progress calls | runs per sim-thread CPU-s |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
/** Per build, first old-generation limit and round: the 1-worker measurement. */
const pairs = new Map<string, Array<{ one?: { sim: number; helpers: number; main: number } }>>();
for (let round = 0; round < Number(values.rounds); round++) {
  for (const w of values.workers!.split(',').map(Number)) {
   for (const b of builds) {
    for (const os of oldSpaces) {
     if (os !== null) setFlagsFromString(`--initial-old-space-size=${os}`);
     const m = await measure(b.sweepParallel, w, Number(values.runs));
     const key = `${b.dir.replace(ROOT + '/', '')}${os === null ? '' : `, first old-generation limit ${os === 0 ? 'V8 default' : `${os} MB`}`}`;
     const rows = pairs.get(key) ?? [];
     pairs.set(key, rows);
     rows[round] ??= {};
     if (w === 1) rows[round].one = m;
     console.log(`| ${b.dir.replace(ROOT + '/', '')} | ${os === null ? 'as tuned' : os === 0 ? 'V8 default' : os} | ${w} | ${(m.wallMs / 1000).toFixed(1)} | ${m.main} | ${m.sim} | **${((100 * m.main) / m.sim).toFixed(1)} %** | ${m.helpers} | ${(m.total / m.wallMs).toFixed(2)} | ${m.elu.toFixed(3)} | ${m.progressCalls} | ${Math.round(m.runsPerSimCpuS)} |`);
    }
   }
  }
}
// What load distorts least. On a quiet 2-core machine a 1-worker sweep takes about its
// simulation thread's CPU time S (the main thread and V8's helpers use the idle core), and a
// 2-worker sweep at least half the CPU all its threads need: S again (two threads share the
// runs; per CPU-second two workers are nearly as efficient as one, docs/benchmarks.md), the
// helpers' H twice (each isolate compiles its own code: H is mostly TurboFan warm-up, a fixed
// cost per worker) and the main thread's M. So the best wall-clock 2-vs-1 these costs allow is
// 2S / (S + 2H + M), from the 1-worker row alone (the 2-worker rows' CPU is inflated by load).
for (const [key, rows] of pairs) {
  const r = rows.filter((x) => x.one !== undefined).map((x) => (2 * x.one!.sim) / (x.one!.sim + 2 * x.one!.helpers + x.one!.main));
  if (r.length > 0) console.log(`${key}: best 2-vs-1 the 1-worker costs allow, 2S / (S + 2H + M): ${r.map((x) => x.toFixed(2) + 'x').join(', ')}`);
}
console.log(`load after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
