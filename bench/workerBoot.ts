/**
 * What a sweep's simulation thread costs before it has run anything (not a test; Linux only:
 * reads /proc/self/task/<tid>/schedstat). For each build, interleaved in this one process, a
 * thread is started exactly as a sweep starts it (dist/explore/worker.js, workerData of a
 * SimWorker, the scenario's heap limit) and sent what a sweep sends: a one-seed `sweep` chunk.
 * Measured per thread: wall time and the thread's own CPU (nanoseconds the scheduler ran it)
 * from `new Worker` to the reply, then again for a second one-seed chunk (the first run's
 * JIT-cold cost is not boot, and is reported apart). The modules a thread imports at start-up
 * are counted from the build's static import graph (what loads before the first request).
 *
 *   npm run build && npx tsx bench/workerBoot.ts [--dist /tmp/old/dist --dist dist] [--rounds 10]
 *     [--strategy reservation] [--scenario flash-sale-chaos] [--semi-space 0,16]
 *
 * `--imports`: instead, a thread that only imports each build's worker entry and then answers
 * (an empty thread first: node's own start of a thread), thread CPU to the answer: the modules'
 * share of the start-up alone, without the first run.
 *
 * `--semi-space`: V8's --min-semi-space-size in MB (0: V8's default, which starts at 1 MB and
 * grows), as variants interleaved with the builds, set before each thread is made (heap sizes
 * are read when an isolate is made).
 *
 * Results and how to read them: docs/benchmarks.md, "Worker boot".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    dist: { type: 'string', multiple: true },
    rounds: { type: 'string', default: '10' },
    strategy: { type: 'string', default: 'reservation' },
    scenario: { type: 'string', default: 'flash-sale-chaos' },
    'semi-space': { type: 'string' },
    imports: { type: 'boolean' },
  },
});
const dists = (values.dist ?? ['dist']).map((d) => resolve(ROOT, d));
const rounds = Number(values.rounds);
/** Variants: each build, with each first semi-space size if given (null: whatever the flags are). */
const semiSpaces: Array<number | null> = values['semi-space'] ? values['semi-space'].split(',').map(Number) : [null];
const variants = dists.flatMap((dir) => semiSpaces.map((semiSpaceMb) => ({ dir, semiSpaceMb, key: semiSpaceMb === null ? dir : `${dir}, min semi-space ${semiSpaceMb === 0 ? 'V8 default' : `${semiSpaceMb} MB`}` })));
type Variant = (typeof variants)[number];

const { loadScenarioFile } = await import(pathToFileURL(resolve(dists[0], 'scenario/index.js')).href);
const { threadHeapMb } = await import(pathToFileURL(resolve(dists[0], 'explore/memory.js')).href);
const { plainScenario } = await import(pathToFileURL(resolve(dists[0], 'explore/determinism.js')).href);
const { tuneGcForSweeps } = await import(pathToFileURL(resolve(dists[0], 'explore/gcTuning.js')).href);
// As the CLI does first thing: the workers' heaps start as a sweep's do.
tuneGcForSweeps();
const loaded = loadScenarioFile(resolve(ROOT, 'scenarios', `${values.scenario}.json`));
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
const scenario = plainScenario(loaded.scenario);
const heapMb: number = threadHeapMb(scenario);

/** Files of `entry`'s static import graph (relative imports only: node's built-ins and packages aside). */
export function staticGraph(entry: string): string[] {
  const seen = new Set<string>();
  const imports = /^\s*(?:import|export)\s+(?:[^'"]*?\s+from\s+)?['"](\.[^'"]+)['"]/gm;
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(imports)) walk(resolve(dirname(file), m[1]));
  };
  walk(entry);
  return [...seen];
}

/** Nanoseconds thread `tid` of this process has run on a CPU (schedstat's first field). */
function threadCpuNs(tid: number): number {
  return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
}

function tids(): Set<number> {
  return new Set(readdirSync('/proc/self/task').map(Number));
}

interface Sample {
  readonly bootWallMs: number;
  readonly bootCpuMs: number;
  readonly secondRunWallMs: number;
  readonly secondRunCpuMs: number;
}

async function bootOnce(v: Variant): Promise<Sample> {
  const dist = v.dir;
  if (v.semiSpaceMb !== null) setFlagsFromString(`--min-semi-space-size=${v.semiSpaceMb}`);
  const before = tids();
  const t0 = performance.now();
  const w = new Worker(pathToFileURL(resolve(dist, 'explore/worker.js')), {
    workerData: { oversold: 'sim-worker', heartbeat: null },
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
    // Not this process's node options: under `--import tsx` every thread would load tsx
    // first (~0.1 CPU-s each), which the CLI's threads do not (V8 flags are process-wide anyway).
    execArgv: [],
  });
  // The thread is started by the constructor; its id is the one this process did not have.
  const fresh = [...tids()].filter((t) => !before.has(t));
  if (fresh.length !== 1) throw new Error(`expected one new thread, found ${fresh.length}`);
  const tid = fresh[0];
  const cpu0 = threadCpuNs(tid);
  const ask = (id: number, start: number) =>
    new Promise<void>((done, fail) => {
      const onMessage = (r: { kind: string; id: number; message?: string }) => {
        if (r.id !== id || r.kind === 'progress') return;
        w.off('message', onMessage);
        if (r.kind === 'error') fail(new Error(r.message));
        else done();
      };
      w.on('message', onMessage);
      w.on('error', fail);
      w.postMessage({ kind: 'sweep', id, scenario, strategy: values.strategy, cwd: ROOT, start, count: 1, failFast: false, progress: false, search: null });
    });
  await ask(1, 1);
  const t1 = performance.now();
  const cpu1 = threadCpuNs(tid);
  await ask(2, 2);
  const t2 = performance.now();
  const cpu2 = threadCpuNs(tid);
  await w.terminate();
  return { bootWallMs: t1 - t0, bootCpuMs: (cpu1 - cpu0) / 1e6, secondRunWallMs: t2 - t1, secondRunCpuMs: (cpu2 - cpu1) / 1e6 };
}

const fmt = (xs: number[], digits = 1) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[s.length >> 1].toFixed(digits)} (${s[0].toFixed(digits)}-${s[s.length - 1].toFixed(digits)})`;
};

console.log(`node ${process.version}, ${dists.length} build(s), ${rounds} rounds, strategy ${values.strategy}, scenario ${values.scenario}, heap limit ${heapMb} MB, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const d of dists) {
  const files = staticGraph(resolve(d, 'explore/worker.js'));
  console.log(`${d}: ${files.length} modules at a worker's start (${files.filter((f) => f.includes('/inventory/')).length} of inventory/)`);
}
/** Thread CPU ms of a thread that imports `url` (none: an empty thread) and answers. */
async function importOnce(url: string | null): Promise<number> {
  const before = tids();
  // The listener keeps the thread alive until terminated: its CPU is read while it still exists.
  const code = `const { parentPort } = require('node:worker_threads'); parentPort.on('message', () => {}); parentPort.postMessage(0); ${url === null ? '' : `import(${JSON.stringify(url)}).then(() => parentPort.postMessage(1))`}`;
  const w = new Worker(code, { eval: true, execArgv: [] });
  const fresh = [...tids()].filter((t) => !before.has(t));
  if (fresh.length !== 1) throw new Error(`expected one new thread, found ${fresh.length}`);
  const cpu0 = threadCpuNs(fresh[0]);
  await new Promise<void>((done, fail) => {
    w.on('message', (m: number) => {
      if (m === (url === null ? 0 : 1)) done();
    });
    w.on('error', fail);
  });
  const ms = (threadCpuNs(fresh[0]) - cpu0) / 1e6;
  await w.terminate();
  return ms;
}

if (values.imports) {
  const entries = [null, ...dists.map((d) => pathToFileURL(resolve(d, 'explore/worker.js')).href)];
  const out = new Map<string | null, number[]>(entries.map((e) => [e, []]));
  for (const e of entries) await importOnce(e);
  for (let r = 0; r < rounds; r++) for (const e of r % 2 === 0 ? entries : [...entries].reverse()) out.get(e)!.push(await importOnce(e));
  for (const [e, xs] of out) console.log(`${e ?? 'an empty thread'}: thread CPU ms ${fmt(xs)}`);
  console.log(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  process.exit(0);
}

const samples = new Map<string, Sample[]>(variants.map((v) => [v.key, []]));
// One warm-up boot each (the files into the page cache), not counted.
for (const v of variants) await bootOnce(v);
for (let r = 0; r < rounds; r++) {
  // Alternated, the order flipped every round: no variant always follows the same other.
  const order = r % 2 === 0 ? variants : [...variants].reverse();
  for (const v of order) samples.get(v.key)!.push(await bootOnce(v));
}
for (const { key } of variants) {
  const s = samples.get(key)!;
  console.log(`${key}`);
  console.log(`  new Worker -> first one-seed chunk done: wall ms ${fmt(s.map((x) => x.bootWallMs))}; thread CPU ms ${fmt(s.map((x) => x.bootCpuMs))}`);
  console.log(`  second one-seed chunk:                   wall ms ${fmt(s.map((x) => x.secondRunWallMs))}; thread CPU ms ${fmt(s.map((x) => x.secondRunCpuMs))}`);
}
for (const v of variants.slice(1)) {
  const [a, b] = [samples.get(variants[0].key)!, samples.get(v.key)!];
  const ratios = a.map((x, i) => x.bootCpuMs / b[i].bootCpuMs);
  console.log(`boot thread CPU, ${variants[0].key} / ${v.key}, same round: ${fmt(ratios, 2)}`);
}
console.log(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
