/**
 * Bytes allocated per run, for one build in this process (run it once per build: the count
 * does not depend on the load, so no interleaving is needed, and one build per process keeps
 * another build's code and garbage out of the count). flash-sale (naive) and flash-sale-chaos
 * (reservation), a new world per run and the world reset. Counted as bench/runCost.ts counts
 * (V8's GCProfiler: used size before each collection minus after the previous one), after a
 * warm-up. docs/benchmarks.md, "Receiver lookup and violation shape".
 *
 *   npm run build && node --no-allocation-site-pretenuring --import tsx bench/runBytes.ts [--root <a build>] [--runs 3000]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { gcMode } from './gcMode.js';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: resolve(import.meta.dirname, '..') },
    runs: { type: 'string', default: '3000' },
  },
});
const root = resolve(values.root!);
const runs = Number(values.runs);
const api = await import(pathToFileURL(resolve(root, 'dist/index.js')).href);

/** Bytes the V8 heap allocated while `work` ran. */
function allocatedBytes(work: () => void): number {
  const used0 = getHeapStatistics().used_heap_size;
  const gc = new GCProfiler();
  gc.start();
  work();
  const used1 = getHeapStatistics().used_heap_size;
  let bytes = 0;
  let after = used0;
  for (const s of gc.stop().statistics) {
    bytes += s.beforeGC.heapStatistics.usedHeapSize - after;
    after = s.afterGC.heapStatistics.usedHeapSize;
  }
  return bytes + used1 - after;
}

const cells: string[] = [];
for (const [file, strategyName] of [['flash-sale', 'naive'], ['flash-sale-chaos', 'reservation']]) {
  const r = api.loadScenarioFile(resolve(root, 'scenarios', `${file}.json`));
  if (!r.ok) throw new Error(JSON.stringify(r.problems[0]));
  const strategy = api.builtinStrategy(strategyName);
  for (const reuseWorld of [false, true]) {
    const run = (seed: number): unknown => api.runOnce(r.scenario, reuseWorld ? { seed, strategy, reuseWorld } : { seed, strategy });
    for (let seed = 1_000_001; seed <= 1_001_000; seed++) run(seed);
    const bytes = allocatedBytes(() => {
      for (let seed = 1; seed <= runs; seed++) run(seed);
    });
    cells.push(`${file} (${strategyName})${reuseWorld ? ', world reset' : ''}: ${(bytes / runs / 1024).toFixed(2)} KB`);
  }
}
console.log(`${root}: bytes allocated per run over ${runs} runs; node ${process.version}, load ${loadavg()[0].toFixed(2)}; ${gcMode()}`);
console.log(`  ${cells.join('; ')}`);
