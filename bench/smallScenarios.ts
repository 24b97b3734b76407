/**
 * One small scenario per broken strategy (docs/benchmarks.md, "One small scenario per broken
 * strategy"): `explore` at each scenario's own bounds, the executions up to the first violation,
 * the time (search, confirmation and shrinking) and whether a real run confirmed it. Prints a
 * markdown table. test/explore/smallScenarios.slow.test.ts pins the same list.
 *
 *   npm run build && npx tsx bench/smallScenarios.ts
 */
import { performance } from 'node:perf_hooks';
import { exploreStrategy, formatProblem, loadScenario, loadSqlParser, STRATEGIES, type FaultBounds } from '../dist/index.js';

/** scenario file, and the strategy when it is not the scenario's own (`explore --strategy`). */
const SMALL: Array<[string, string?]> = [
  ['explore-small'],
  ['explore-small-retry-without-idempotency'],
  ['explore-small-lock-lease'],
  ['explore-small-wall-clock-expiry'],
  ['explore-small-confirm-gives-up'],
  ['explore-small-recovery-skips-expired'],
  ['explore-small-reservation-per-line'],
  ['explore-small-locked-replica-read'],
  ['explore-small-unfenced-confirm'],
  ['sql-explore-small', 'sql-read-then-write'],
  ['sql-explore-small', 'sql-unguarded-decrement'],
  ['sql-explore-small', 'sql-for-update-autocommit'],
  ['sql-sum-then-insert-repeatable-read'],
  ['sql-reduced-flag'],
];

const FLAGS: Record<keyof FaultBounds, string> = { drops: 'max-drops', lostReplies: 'max-lost-replies', duplicates: 'max-duplicates', pauses: 'max-pauses', declines: 'max-declines', crashes: 'max-crashes' };

function boundsWords(b: FaultBounds): string {
  const parts = (Object.keys(FLAGS) as (keyof FaultBounds)[]).filter((k) => b[k] > 0).map((k) => `\`--${FLAGS[k]} ${b[k]}\``);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

await loadSqlParser();
console.log('| strategy | scenario | bounds | executions to first violation | time | confirmed |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [file, name] of SMALL) {
  const loaded = loadScenario(`scenarios/${file}.json`);
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  const strategy = STRATEGIES.get(name ?? loaded.scenario.strategy.name)!;
  const t0 = performance.now(); // wall-clock: a benchmark
  const r = exploreStrategy(loaded.scenario, strategy);
  const ms = performance.now() - t0; // wall-clock: a benchmark
  const broke = [...new Set(r.violations.map((v) => v.invariant))].join(', ');
  console.log(`| ${strategy.name} | [${file}](../scenarios/${file}.json)${name ? ' (`--strategy`)' : ''} | ${boundsWords(r.search.bounds)} | ${r.search.executions + r.search.blocked} | ${(ms / 1000).toFixed(1)} s | ${r.confirmed === true ? 'yes' : r.confirmed === false ? '**no**' : 'no violation'} (${broke}) |`);
}
