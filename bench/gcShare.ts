/**
 * What the collector costs a run under this process's GC setting: CPU microseconds per run and
 * the collector's pauses as a share of wall time (node's `gc` performance entries), on
 * flash-sale (naive) and flash-sale-chaos (reservation). Run it twice, once per setting, to see
 * what V8's allocation-site pretenuring costs (docs/benchmarks.md, "Fast runs", round 3):
 *
 *   npm run build && node --import tsx bench/gcShare.ts
 *   node --no-allocation-site-pretenuring --import tsx bench/gcShare.ts
 *
 * `--trace-gc-nvp` on the same command shows what each scavenge promoted.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { runOnce, builtinStrategy } from '../dist/explore/run.js';
import { loadScenarioFile } from '../dist/scenario/index.js';
import { gcMode } from './gcMode.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '4000' } } });
const RUNS = Number(values.runs);
console.log(`node ${process.version}, load ${loadavg()[0].toFixed(2)}; ${gcMode()}`);
let gcMs = 0;
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
});
const settle = () => new Promise((r) => setTimeout(r, 5));
for (const [file, name, runs] of [['flash-sale.json', 'naive', RUNS], ['flash-sale-chaos.json', 'reservation', Math.ceil(RUNS / 2)]] as const) {
  const r = loadScenarioFile(`scenarios/${file}`);
  if (!r.ok) throw new Error(JSON.stringify(r.problems[0]));
  const strategy = builtinStrategy(name);
  for (let seed = 1; seed <= 1000; seed++) runOnce(r.scenario, { seed, strategy });
  await settle();
  observer.observe({ entryTypes: ['gc'] });
  gcMs = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let seed = 1; seed <= runs; seed++) runOnce(r.scenario, { seed: 1_000_000 + seed, strategy });
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  await settle();
  observer.disconnect();
  console.log(`  ${`${file.replace('.json', '')} (${name})`.padEnd(32)} ${((c.user + c.system) / runs).toFixed(0).padStart(5)} us CPU per run (every thread), ${((wallMs * 1000) / runs).toFixed(0).padStart(5)} us wall; collector pauses ${((100 * gcMs) / wallMs).toFixed(1)} % of wall time`);
}
