/**
 * The four safe strategies over many chaos seeds, in both timing models (not a test: the
 * acceptance run behind docs/benchmarks.md, "Safe strategies under both timing models"):
 *
 *   npm run build && npx tsx bench/safe.ts [--seeds 2000] [--scenario flash-sale-chaos]
 *
 * Sampled: delays drawn, events in time order. Windowed: every delay a window, the schedule a
 * seeded uniform choice among the ready events (explore/run.ts timingOf). Prints the failing
 * seeds (there should be none) and runs/s, one row per strategy and model.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenarioFile } from '../dist/scenario/index.js';
import { runOnce } from '../dist/explore/run.js';
import { STRATEGIES } from '../dist/inventory/strategies/index.js';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '2000' }, scenario: { type: 'string', default: 'flash-sale-chaos' } } });
const SEEDS = Number(values.seeds);
const r = loadScenarioFile(resolve(import.meta.dirname, '..', 'scenarios', `${values.scenario}.json`));
if (!r.ok) throw new Error(JSON.stringify(r.problems[0]));
const scenario = r.scenario;

console.log(`${values.scenario}, seeds 1..${SEEDS}, node ${process.version}\n`);
console.log('| strategy | timing | runs | failing seeds | runs/s |');
console.log('| --- | --- | --- | --- | --- |');
let total = 0;
for (const s of [...STRATEGIES.values()].filter((x) => x.safe)) {
  for (const timing of ['sampled', 'windowed'] as const) {
    const failing: string[] = [];
    const t0 = performance.now();
    for (let seed = 1; seed <= SEEDS; seed++) {
      const run = runOnce(scenario, { seed, strategy: s, timing });
      if (run.verdict !== 'ok') failing.push(`${seed} (${[...new Set(run.violations.map((v) => v.invariant))].join(', ')})`);
    }
    const rate = (SEEDS * 1000) / (performance.now() - t0);
    total += failing.length;
    console.log(`| ${s.name} | ${timing} | ${SEEDS} | ${failing.length === 0 ? '**0**' : `${failing.length}: ${failing.slice(0, 8).join('; ')}${failing.length > 8 ? '; ...' : ''}`} | ${Math.round(rate)} |`);
  }
}
process.exitCode = total === 0 ? 0 : 1;
