/**
 * `npx tsx bench/sqlRuns.ts`: whole simulated runs of a SQL scenario against the same orders
 * through the counter API, side by side in one process, interleaved over rounds (the machine
 * is shared and noisy: read the ratios). The scenario is scenarios/sql-guarded-decrement.json
 * (2 vases, 5 buyers); conditional-decrement runs it through ctx.db (its `sql` section then
 * only adds an idle SQL server). Results: docs/benchmarks.md. No test asserts on them.
 */
import { loadSqlParser } from '../src/inventory/sql/parse.js';
import { loadScenario } from '../src/scenario/index.js';
import { builtinStrategy, runOnce } from '../src/explore/run.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
await loadSqlParser();
const r = loadScenario('sql-guarded-decrement');
if (!r.ok) throw new Error('scenario');
const variants = ['conditional-decrement', 'sql-guarded-decrement', 'sql-for-update', 'sql-serializable-retry'].map((name) => ({ name, strategy: builtinStrategy(name), rates: [] as number[], events: 0 }));
for (let round = 0; round < ROUNDS; round++) {
  for (const v of variants) {
    const t0 = performance.now();
    let events = 0;
    for (let seed = 1; seed <= RUNS; seed++) events += runOnce(r.scenario, { seed, strategy: v.strategy }).events;
    v.rates.push((RUNS * 1000) / (performance.now() - t0));
    v.events = events / RUNS;
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(variants[0].rates);
console.log('| strategy | events per run | runs/s (median of rounds) | ratio |');
console.log('| --- | --- | --- | --- |');
for (const v of variants) console.log(`| ${v.name} | ${v.events.toFixed(0)} | ${median(v.rates).toFixed(0)} | ${(median(v.rates) / base).toFixed(2)} |`);
