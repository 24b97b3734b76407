/**
 * What one run costs, against the commit before "Fast runs" (issue 14), both builds in one
 * process, interleaved in slices (A B B A ...) so that drift and other tenants' load hit both
 * alike: runs per CPU-second and bytes allocated per run, on flash-sale (naive) and
 * flash-sale-chaos (reservation). This build is measured twice: runOnce as a library user calls
 * it (a new world per run) and with `reuseWorld` (a world reset per run: what a sweep runs,
 * src/explore/sweep.ts); the three sides take turns slice by slice (A B C, B C A, C A B, ...).
 *
 * Bytes allocated: V8's GCProfiler reports the heap's used size before and after every
 * collection, so what a slice allocated is the sum over its collections of (used before this
 * collection - used after the previous one), plus (used at the end - used after the last
 * one). That counts every byte the slice's code allocated in the V8 heap (young and old
 * generation), exactly, whatever the collector did.
 *
 *   git archive 588d119 | tar -x -C /tmp/perf-old && ln -s $PWD/node_modules /tmp/perf-old/ \
 *     && (cd /tmp/perf-old && npx tsc -p tsconfig.build.json)
 *   npm run build && node --import tsx bench/runCost.ts --old /tmp/perf-old [--seeds 1000] [--rounds 3] [--slice 50]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { gcMode } from './gcMode.js';
import { GCProfiler, getHeapStatistics } from 'node:v8';

interface Build {
  readonly name: string;
  readonly runOnce: (s: unknown, o: { seed: number; strategy: unknown; reuseWorld?: boolean }) => { verdict: string; traceHash: string };
  /** Runs with reuseWorld (a build without it ignores the option). */
  readonly reuse: boolean;
  readonly scenario: (file: string) => unknown;
  readonly strategy: (name: string) => unknown;
}

async function load(name: string, root: string, reuse = false): Promise<Build> {
  const api = await import(pathToFileURL(resolve(root, 'dist/index.js')).href);
  return {
    name,
    reuse,
    runOnce: api.runOnce,
    scenario: (file) => {
      const r = api.loadScenarioFile(resolve(root, 'scenarios', file));
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.problems[0])}`);
      return r.scenario;
    },
    strategy: (s) => api.builtinStrategy(s),
  };
}

interface Slice {
  cpuMs: number;
  bytes: number;
  hashes: string[];
}

/** Seeds start..start+count-1: CPU ms of the process (every thread) and bytes allocated. */
function slice(b: Build, scenario: unknown, strategy: unknown, start: number, count: number, keepHashes: boolean): Slice {
  const hashes: string[] = [];
  const used0 = getHeapStatistics().used_heap_size;
  const gc = new GCProfiler();
  gc.start();
  const c0 = process.cpuUsage();
  for (let seed = start; seed < start + count; seed++) {
    const r = b.runOnce(scenario, b.reuse ? { seed, strategy, reuseWorld: true } : { seed, strategy });
    if (keepHashes) hashes.push(r.traceHash);
  }
  const c = process.cpuUsage(c0);
  const used1 = getHeapStatistics().used_heap_size;
  const stats = gc.stop().statistics;
  let bytes = 0;
  let after = used0;
  for (const s of stats) {
    bytes += s.beforeGC.heapStatistics.usedHeapSize - after;
    after = s.afterGC.heapStatistics.usedHeapSize;
  }
  bytes += used1 - after;
  return { cpuMs: (c.user + c.system) / 1000, bytes, hashes };
}

export interface CostRow {
  readonly label: string;
  readonly oldRunsPerCpuS: number;
  readonly newRunsPerCpuS: number;
  readonly oldBytesPerRun: number;
  readonly newBytesPerRun: number;
  readonly perRound: string;
  readonly resetRunsPerCpuS: number;
  readonly resetBytesPerRun: number;
  readonly perRoundReset: string;
}

export async function runCost(oldRoot: string, newRoot: string, seeds: number, rounds: number, sliceSize: number): Promise<CostRow[]> {
  const oldB = await load('old', oldRoot);
  const newB = await load('new', newRoot);
  const resetB = await load('new, world reset', newRoot, true);
  const rows: CostRow[] = [];
  for (const [file, strategyName] of [['flash-sale.json', 'naive'], ['flash-sale-chaos.json', 'reservation']] as const) {
    const sides = [oldB, newB, resetB].map((b) => ({ b, scenario: b.scenario(file), strategy: b.strategy(strategyName), cpu: 0, bytes: 0, runs: 0, roundCpu: 0 }));
    // Warm-up: JIT both builds; and the same traces from both (this work changes no hash).
    const h = sides.map((s) => slice(s.b, s.scenario, s.strategy, 1, 300, true).hashes.join());
    if (h[0] !== h[1] || h[0] !== h[2]) throw new Error(`${file}: the builds' trace hashes differ`);
    const ratios: number[] = [];
    const ratiosReset: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const s of sides) s.roundCpu = 0;
      let k = 0;
      for (let start = 1; start <= seeds; start += sliceSize, k++) {
        const count = Math.min(sliceSize, seeds - start + 1);
        for (const s of [0, 1, 2].map((i) => sides[(i + k) % 3])) {
          const m = slice(s.b, s.scenario, s.strategy, start, count, false);
          s.cpu += m.cpuMs;
          s.roundCpu += m.cpuMs;
          s.bytes += m.bytes;
          s.runs += count;
        }
      }
      ratios.push(sides[0].roundCpu / sides[1].roundCpu);
      ratiosReset.push(sides[0].roundCpu / sides[2].roundCpu);
    }
    const [o, n, z] = sides;
    rows.push({
      label: `${file.replace('.json', '')} (${strategyName})`,
      oldRunsPerCpuS: (o.runs * 1000) / o.cpu,
      newRunsPerCpuS: (n.runs * 1000) / n.cpu,
      oldBytesPerRun: o.bytes / o.runs,
      newBytesPerRun: n.bytes / n.runs,
      perRound: ratios.map((x) => x.toFixed(2)).join(', '),
      resetRunsPerCpuS: (z.runs * 1000) / z.cpu,
      resetBytesPerRun: z.bytes / z.runs,
      perRoundReset: ratiosReset.map((x) => x.toFixed(2)).join(', '),
    });
  }
  return rows;
}

export function printCostRows(rows: readonly CostRow[]): void {
  console.log('| scenario (strategy) | old runs per CPU-s | new runs per CPU-s | new / old | per-round ratios | old KB allocated per run | new KB allocated per run | new / old bytes |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(`| ${r.label} | ${r.oldRunsPerCpuS.toFixed(0)} | ${r.newRunsPerCpuS.toFixed(0)} | **${(r.newRunsPerCpuS / r.oldRunsPerCpuS).toFixed(2)}x** | ${r.perRound} | ${(r.oldBytesPerRun / 1024).toFixed(1)} | ${(r.newBytesPerRun / 1024).toFixed(1)} | **${(r.newBytesPerRun / r.oldBytesPerRun).toFixed(2)}** |`);
    console.log(`| ${r.label}, world reset (runOnce with reuseWorld: a sweep's runs) | ${r.oldRunsPerCpuS.toFixed(0)} | ${r.resetRunsPerCpuS.toFixed(0)} | **${(r.resetRunsPerCpuS / r.oldRunsPerCpuS).toFixed(2)}x** | ${r.perRoundReset} | ${(r.oldBytesPerRun / 1024).toFixed(1)} | ${(r.resetBytesPerRun / 1024).toFixed(1)} | **${(r.resetBytesPerRun / r.oldBytesPerRun).toFixed(2)}** |`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      old: { type: 'string', default: '/tmp/perf-old' },
      seeds: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '3' },
      slice: { type: 'string', default: '50' },
    },
  });
  const root = resolve(import.meta.dirname, '..');
  console.log(`both builds in one process, slices of ${values.slice} seeds in turns (A B C, B C A, C A B, ...), seeds 1..${values.seeds} x ${values.rounds} rounds; node ${process.version}, load ${loadavg()[0].toFixed(2)}; ${gcMode()} for both builds\n`);
  printCostRows(await runCost(values.old!, root, Number(values.seeds), Number(values.rounds), Number(values.slice)));
}
