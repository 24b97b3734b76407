/**
 * The structured results of the three minimisers (`why`, `export`, `check`'s shrink and
 * polish) on the first failing seed of every library scenario x built-in strategy: the
 * fingerprint of what the searches find. A refactor of the searches must leave it unchanged
 * (trace-hashes.ts only covers single runs).
 *
 *   npx tsx scripts/minimiser-results.ts > /tmp/minimisers.json          # record
 *   npx tsx scripts/minimiser-results.ts --compare /tmp/minimisers.json  # compare (exit 1 on a difference)
 *
 * Only the public API (src/index.ts), so the same script runs before and after a move.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadScenarioFile, runOnce, why, exportScenario, checkStrategy, STRATEGIES, answersOf } from '../src/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const SEEDS = 30;
const MAX_RUNS = 150;

function results(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const files = readdirSync(resolve(ROOT, 'scenarios')).filter((f) => f.endsWith('.json')).sort();
  for (const f of files) {
    const r = loadScenarioFile(resolve(ROOT, 'scenarios', f));
    if (!r.ok) throw new Error(`${f}: ${JSON.stringify(r.problems)}`);
    const scenario = r.scenario;
    for (const [name, strategy] of STRATEGIES) {
      const key = `${f.replace(/\.json$/, '')}|${name}`;
      let seed = 0;
      let answers: number[] | null = null;
      for (let s = 1; s <= SEEDS && answers === null; s++) {
        const run = runOnce(scenario, { strategy, seed: s, recordChoices: true });
        if (run.verdict === 'violated') [seed, answers] = [s, answersOf(run)];
      }
      if (answers !== null) {
        const failing = { scenario, strategy, answers };
        const { run: _w, ...w } = why(failing, { maxRuns: MAX_RUNS });
        const { run: _t, ...wt } = why(failing, { maxRuns: MAX_RUNS, timings: true });
        const e = exportScenario({ ...failing, strategyRef: name, origin: `${key}|${seed}` }, { maxRuns: MAX_RUNS });
        out[`${key}|why`] = { seed, ...w };
        out[`${key}|why-timings`] = wt;
        out[`${key}|export`] = e;
      }
      const c = checkStrategy(scenario, strategy, { numRuns: 30 });
      const ce = c.counterexample;
      out[`${key}|check`] = { ...c, counterexample: ce && { knobs: ce.knobs, answers: ce.answers, shrunkChoices: ce.shrunkChoices, violations: ce.violations, traceHash: ce.run.traceHash } };
    }
  }
  return out;
}

const args = process.argv.slice(2);
const now = JSON.parse(JSON.stringify(results())) as Record<string, unknown>;
if (args[0] === '--compare') {
  const old = JSON.parse(readFileSync(args[1], 'utf8')) as Record<string, unknown>;
  const keys = new Set([...Object.keys(old), ...Object.keys(now)]);
  let diff = 0;
  for (const k of keys) {
    if (JSON.stringify(old[k]) !== JSON.stringify(now[k])) {
      if (diff < 10) console.log(`${k}:\n  was ${JSON.stringify(old[k]).slice(0, 400)}\n  now ${JSON.stringify(now[k]).slice(0, 400)}`);
      diff++;
    }
  }
  console.log(diff === 0 ? `all ${keys.size} minimiser results match` : `${diff} of ${keys.size} minimiser results differ`);
  process.exit(diff === 0 ? 0 : 1);
} else {
  console.log(JSON.stringify(now));
}
