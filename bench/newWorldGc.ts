/**
 * What the young-generation collector costs runOnce with a new world per run (how a library
 * user calls it), for one build per process: run it for two builds alternately (the GC state
 * is process-wide, so two builds in one heap would pay for each other's collections).
 * docs/benchmarks.md, "Round 6c: the new-world path".
 *
 * Prints: bytes a dropped run leaves in the heap after two young GCs (median over 30 runs:
 * what something old still points at), then runs per CPU-second over `--runs` runs with the
 * scavenges and full GCs they took (V8's GCProfiler: count and summed pause), and the load.
 *
 *   npm run build && node [--no-allocation-site-pretenuring] --import tsx bench/newWorldGc.ts \
 *     [--root /tmp/other-build] [--scenario flash-sale-chaos] [--strategy reservation] [--runs 6000]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { runInNewContext } from 'node:vm';
import { GCProfiler, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { gcMode } from './gcMode.js';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: resolve(import.meta.dirname, '..') },
    scenario: { type: 'string', default: 'flash-sale-chaos' },
    strategy: { type: 'string', default: 'reservation' },
    runs: { type: 'string', default: '6000' },
  },
});
const root = resolve(values.root);
const api = await import(pathToFileURL(resolve(root, 'dist/index.js')).href);
const loaded = api.loadScenarioFile(resolve(root, 'scenarios', `${values.scenario}.json`));
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems[0]));
const scenario = loaded.scenario;
const strategy = api.builtinStrategy(values.strategy);
const run = (seed: number): unknown => api.runOnce(scenario, { seed, strategy });

// Warm-up (the JIT, the per-config caches).
for (let seed = 0; seed < 500; seed++) run(seed);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (o?: { type: 'minor' | 'major' }) => void;
const used: number[] = [];
for (let seed = 500; seed < 531; seed++) {
  run(seed);
  gc({ type: 'minor' });
  gc({ type: 'minor' });
  used.push(getHeapStatistics().used_heap_size);
}
const kept = used.slice(1).map((u, i) => u - used[i]).sort((a, b) => a - b)[used.length >> 1];
gc();

const runs = Number(values.runs);
const profiler = new GCProfiler();
profiler.start();
const c0 = process.cpuUsage();
for (let seed = 1000; seed < 1000 + runs; seed++) run(seed);
const c = process.cpuUsage(c0);
let scavenges = 0;
let scavengeMs = 0;
let full = 0;
let fullMs = 0;
for (const s of profiler.stop().statistics) {
  if (s.gcType === 'Scavenge') {
    scavenges++;
    scavengeMs += s.cost / 1000;
  } else if (s.gcType === 'MarkSweepCompact') {
    full++;
    fullMs += s.cost / 1000;
  }
}
const cpuS = (c.user + c.system) / 1e6;
console.log(`${root} ${values.scenario} (${values.strategy}), a new world per run; node ${process.version}, load ${loadavg()[0].toFixed(2)}; ${gcMode()}`);
console.log(`  kept after two young GCs: ${kept} B per dropped run (median of 30)`);
console.log(`  ${runs} runs: ${(runs / cpuS).toFixed(0)} runs per CPU-s; ${scavenges} scavenges (${scavengeMs.toFixed(0)} ms), ${full} full GCs (${fullMs.toFixed(0)} ms)`);
