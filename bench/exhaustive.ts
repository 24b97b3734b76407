/**
 * `oversold explore` throughput beside sweep throughput on the same scenario, in one process
 * (docs/benchmarks.md, "Exhaustive exploration"). For each (strategy, bounds): an explore
 * search with a budget of executions (exhausted if it finishes under it, else bounded with
 * Knuth's estimate), then a sweep of as many seeds of the same scenario (windowed timing, one
 * thread). Prints a markdown table.
 *
 *   npm run build && npx tsx bench/exhaustive.ts [--budget 2000] [--scenario scenarios/explore-small.json] [--only cas,cd]
 *
 * A scenario with a `sql` section (scenarios/sql-explore-small.json) runs the SQL strategies
 * instead, each with and without reduction (the reduction factor side by side).
 *
 * `--relation` compares the independence relations side by side instead (docs/exploration.md,
 * "Independence"): each strategy under `rows` (the default: events at the primary and the SQL
 * server commute when their items, rows and tables do), under `nodes` (every two events at one
 * node dependent) and without reduction. `--keep-going` searches past the first violation.
 *
 *   npx tsx bench/exhaustive.ts --relation --keep-going --scenario scenarios/sql-explore-two-rows.json
 *   npx tsx bench/exhaustive.ts --relation --keep-going --scenario scenarios/explore-small-two-items.json --only conditional-decrement,naive
 */
import { performance } from 'node:perf_hooks';
import { loadScenario, loadSqlParser, searchSchedules, sweepInline, STRATEGIES, formatProblem, type FaultBounds } from '../dist/index.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const budget = Number(arg('budget', '2000'));
const file = arg('scenario', 'scenarios/explore-small.json');
const loaded = loadScenario(file);
if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
const scenario = loaded.scenario;
// SQL strategies parse their statements with libpg-query (WebAssembly): loaded once, up front.
if (scenario.sql !== undefined) await loadSqlParser();

const ONE: Array<[string, Partial<FaultBounds>]> = [['none', {}], ['drops 1', { drops: 1 }], ['lost replies 1', { lostReplies: 1 }], ['duplicates 1', { duplicates: 1 }], ['pauses 1', { pauses: 1 }], ['declines 1', { declines: 1 }]];
const TABLE_CONFIGS: Array<[string, string, Partial<FaultBounds>]> = [
  ['conditional-decrement', 'none', {}],
  ['conditional-decrement', 'drops 1, pauses 1', { drops: 1, pauses: 1 }],
  ['compare-and-set', 'none', {}],
  ['compare-and-set', 'drops 1, pauses 1', { drops: 1, pauses: 1 }],
  ...ONE.map(([n, b]): [string, string, Partial<FaultBounds>] => ['reservation', n, b]),
  ...ONE.map(([n, b]): [string, string, Partial<FaultBounds>] => ['lock-fencing', n, b]),
];
// `--no-reduction` in a label: the same search without DPOR (the reduction factor beside it).
const SQL_CONFIGS: Array<[string, string, Partial<FaultBounds>]> = [
  ['sql-guarded-decrement', 'none', {}],
  ['sql-guarded-decrement', 'none, --no-reduction', {}],
  ['sql-read-then-write', 'none', {}],
  ['sql-read-then-write', 'none, --no-reduction', {}],
];
const relation = process.argv.includes('--relation');
const keepGoing = process.argv.includes('--keep-going');
const RELATION_STRATEGIES = scenario.sql === undefined ? ['conditional-decrement', 'compare-and-set', 'naive', 'reservation'] : ['sql-guarded-decrement', 'sql-read-then-write', 'sql-for-update'];
const RELATION_CONFIGS = RELATION_STRATEGIES.flatMap((n): Array<[string, string, Partial<FaultBounds>]> => [[n, 'none, rows', {}], [n, 'none, nodes', {}], [n, 'none, --no-reduction', {}]]);
const CONFIGS = relation ? RELATION_CONFIGS : scenario.sql === undefined ? TABLE_CONFIGS : SQL_CONFIGS;
const only = arg('only', '');

console.log(`| strategy | bounds | result | executions | blocked | final states | time | executions/s | estimate (Knuth) | sweep runs/s (windowed, same scenario) | explore / sweep |`);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [name, label, bounds] of CONFIGS) {
  if (only !== '' && !only.split(',').includes(name)) continue;
  const strategy = STRATEGIES.get(name)!;
  const t0 = performance.now(); // wall-clock: a benchmark
  const s = searchSchedules(scenario, strategy, { bounds, maxExecutions: budget, reduction: !label.includes('--no-reduction'), independence: label.includes('nodes') ? 'nodes' : 'rows', keepGoing });
  const ms = performance.now() - t0; // wall-clock: a benchmark
  const n = s.executions + s.blocked;
  const rate = (n * 1000) / ms;
  const t1 = performance.now(); // wall-clock: a benchmark
  sweepInline({ ...scenario, strategy: { ...scenario.strategy, name } }, { start: 1, count: Math.max(200, Math.min(n, 2000)), strategy });
  const sweepRate = (Math.max(200, Math.min(n, 2000)) * 1000) / (performance.now() - t1); // wall-clock: a benchmark
  const result = s.found && !(keepGoing && s.exhausted) ? `violation (${s.found.violations.map((v) => v.invariant).join(', ')})` : s.exhausted ? (s.found ? `**exhausted**, violation (${s.found.violations.map((v) => v.invariant).join(', ')})` : '**exhausted**, 0 violations') : `bounded (${s.boundedBy})`;
  console.log(`| ${name} | ${label} | ${result} | ${s.executions} | ${s.blocked} | ${s.finalStates.length} | ${(ms / 1000).toFixed(1)} s | ${Math.round(rate)} | ${s.exhausted ? '-' : s.estimate.toExponential(1)} | ${Math.round(sweepRate)} | ${(rate / sweepRate).toFixed(2)} |`);
}
