/**
 * One small scenario per broken strategy (docs/benchmarks.md, "One small scenario per broken
 * strategy"): `explore` at each scenario's own bounds, the executions up to the first violation,
 * the time (search, confirmation and shrinking) and whether a real run confirmed it. Prints a
 * markdown table; then the rare-race fixtures (scenarios/rare-races/) the same way, and each bound
 * one fault below the smallest (exhausted with no violation: what makes the bound the smallest).
 * test/explore/smallScenarios.slow.test.ts pins the same lists.
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
  ['explore-small-reservation-per-line-pause'],
  ['explore-small-locked-replica-read'],
  ['explore-small-unfenced-confirm'],
  ['sql-explore-small', 'sql-read-then-write'],
  ['sql-explore-small', 'sql-unguarded-decrement'],
  ['sql-explore-small', 'sql-for-update-autocommit'],
  ['sql-sum-then-insert-repeatable-read'],
  ['sql-reduced-flag'],
];

/** The rare-race fixtures, as they are (their own `explore` section). */
const RARE = ['confirm-gives-up-lost-replies', 'locked-replica-read-slow-replica', 'recovery-skips-expired-crash', 'reservation-per-line-pause', 'unfenced-confirm-slow-order'].map((f) => `rare-races/${f}`);

/** One fault below each scenario's own bound (bounds overriding its `explore` section). */
const FEWER: Array<[string, Partial<FaultBounds>]> = [
  ['explore-small-retry-without-idempotency', { lostReplies: 0 }],
  ['explore-small-confirm-gives-up', { lostReplies: 2 }],
  ['explore-small-confirm-gives-up', { lostReplies: 1, drops: 1 }],
  ['explore-small-confirm-gives-up', { lostReplies: 0, drops: 2 }],
  ['explore-small-recovery-skips-expired', { crashes: 0 }],
  ['explore-small-reservation-per-line-pause', { pauses: 0 }],
];

const FLAGS: Record<keyof FaultBounds, string> = { drops: 'max-drops', lostReplies: 'max-lost-replies', duplicates: 'max-duplicates', pauses: 'max-pauses', declines: 'max-declines', crashes: 'max-crashes' };

function boundsWords(b: FaultBounds): string {
  const parts = (Object.keys(FLAGS) as (keyof FaultBounds)[]).filter((k) => b[k] > 0).map((k) => `\`--${FLAGS[k]} ${b[k]}\``);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

await loadSqlParser();
console.log('| strategy | scenario | bounds | executions to first violation | time | confirmed |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [file, name] of [...SMALL, ...RARE.map((f): [string] => [f])]) {
  const loaded = loadScenario(`scenarios/${file}.json`);
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  const strategy = STRATEGIES.get(name ?? loaded.scenario.strategy.name)!;
  const t0 = performance.now(); // wall-clock: a benchmark
  const r = exploreStrategy(loaded.scenario, strategy);
  const ms = performance.now() - t0; // wall-clock: a benchmark
  const broke = [...new Set(r.violations.map((v) => v.invariant))].join(', ');
  console.log(`| ${strategy.name} | [${file}](../scenarios/${file}.json)${name ? ' (`--strategy`)' : ''} | ${boundsWords(r.search.bounds)} | ${r.search.executions + r.search.blocked} | ${(ms / 1000).toFixed(1)} s | ${r.confirmed === true ? 'yes' : r.confirmed === false ? '**no**' : 'no violation'} (${broke}) |`);
}

console.log('');
console.log('| scenario | bounds (one fault fewer) | result | executions (+ blocked) | final states | time |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [file, bounds] of FEWER) {
  const loaded = loadScenario(`scenarios/${file}.json`);
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  const t0 = performance.now(); // wall-clock: a benchmark
  const r = exploreStrategy(loaded.scenario, STRATEGIES.get(loaded.scenario.strategy.name)!, bounds);
  const ms = performance.now() - t0; // wall-clock: a benchmark
  const result = r.violations.length > 0 ? `**violation** (${[...new Set(r.violations.map((v) => v.invariant))].join(', ')})` : r.search.exhausted ? 'exhausted, 0 violations' : 'bounded, 0 violations';
  console.log(`| [${file}](../scenarios/${file}.json) | ${boundsWords(r.search.bounds)} | ${result} | ${r.search.executions} (+${r.search.blocked}) | ${r.search.finalStates.length} | ${(ms / 1000).toFixed(1)} s |`);
}
