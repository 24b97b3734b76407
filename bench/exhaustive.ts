/**
 * `oversold explore` throughput beside sweep throughput on the same scenario, in one process
 * (docs/benchmarks.md, "Exhaustive exploration"). For each (strategy, bounds): an explore
 * search with a budget of executions (exhausted if it finishes under it, else bounded with
 * Knuth's estimate), then a sweep of as many seeds of the same scenario (windowed timing, one
 * thread). Prints a markdown table.
 *
 *   npm run build && npx tsx bench/exhaustive.ts [--budget 2000] [--scenario scenarios/explore-small.json] [--only cas,cd] [--bounds 'crashes 1'] [--semantics timed|untimed-causal]
 *
 * A scenario with a `sql` section (scenarios/sql-explore-small.json) runs the SQL strategies
 * instead, each with and without reduction (the reduction factor side by side); one whose
 * explore section bounds crashes (scenarios/explore-crash.json) runs reservation and
 * recovery-skips-expired with and without their crash.
 *
 * `--relation` compares the independence relations side by side instead (docs/exploration.md,
 * "Independence"): each strategy under `rows` (the default: events at the primary and the SQL
 * server commute when their items, rows and tables do), under `nodes` (every two events at one
 * node dependent) and without reduction. `--keep-going` searches past the first violation.
 *
 *   npx tsx bench/exhaustive.ts --relation --keep-going --scenario scenarios/sql-explore-two-rows.json
 *   npx tsx bench/exhaustive.ts --relation --keep-going --scenario scenarios/explore-small-two-items.json --only conditional-decrement,naive
 *
 * `--lookahead`: each row without, then with, the timed semantics' lookahead (rule 7 in
 * docs/exploration.md), side by side in one process (docs/benchmarks.md, "Under the timed
 * semantics"):
 *
 *   npm run build && npx tsx bench/exhaustive.ts --lookahead --only lock-fencing,reservation --budget 3000
 *
 * `--workers K`: instead, `explore --workers K` (searchParallel, worker threads) beside one
 * worker (searchSchedules in this thread) on the configurations of issue 13's speedup
 * question, alternating which runs first, `--rounds R` times (default 2); prints the median
 * times, the speedup and whether the verdict and the final states are the same.
 *
 *   npm run build && npx tsx bench/exhaustive.ts --workers 2 [--rounds 2]
 *
 * `--before DIR`: instead, each configuration searched by another build (DIR/dist, e.g. main's
 * checkout built with `npm run build`) and by this one, alternately first, in this process:
 * executions, unrealizable, blocked, final states, time and the estimate side by side.
 *
 *   npm run build && npx tsx bench/exhaustive.ts --before /path/to/main --budget 3000 --only compare-and-set,reservation,lock-fencing
 */
import { performance } from 'node:perf_hooks';
import { loadScenario, loadSqlParser, searchSchedules, searchParallel, sweepInline, STRATEGIES, formatProblem, type FaultBounds } from '../dist/index.js';
import { availableParallelism, loadavg } from 'node:os';
import { ceiling } from './ceiling.js';

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

const ONE: Array<[string, Partial<FaultBounds>]> = [['none', {}], ['drops 1', { drops: 1 }], ['lost replies 1', { lostReplies: 1 }], ['duplicates 1', { duplicates: 1 }], ['pauses 1', { pauses: 1 }], ['declines 1', { declines: 1 }], ['crashes 1', { crashes: 1 }]];
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
// scenarios/explore-crash.json (explore.maxCrashes 1): each strategy with and without its crash.
const CRASH_CONFIGS: Array<[string, string, Partial<FaultBounds>]> = [
  ['reservation', 'crashes 1', { crashes: 1 }],
  ['reservation', 'crashes 1, --no-reduction', { crashes: 1 }],
  ['reservation', 'none', { crashes: 0 }],
  ['recovery-skips-expired', 'crashes 1', { crashes: 1 }],
  ['recovery-skips-expired', 'none', { crashes: 0 }],
];
const CONFIGS = relation ? RELATION_CONFIGS : scenario.sql !== undefined ? SQL_CONFIGS : (scenario.explore?.maxCrashes ?? 0) > 0 ? CRASH_CONFIGS : TABLE_CONFIGS;
const only = arg('only', '');
const semantics = arg('semantics', 'timed') as 'timed' | 'untimed-causal';
// `--bounds 'crashes 1'`: only the rows with that bounds label.
const onlyBounds = arg('bounds', '');
const workers = Number(arg('workers', '0'));

if (workers > 0) {
  const rounds = Number(arg('rounds', '2'));
  const configs: Array<[string, string, Partial<FaultBounds>]> = [
    ['conditional-decrement', 'drops 1, pauses 1', { drops: 1, pauses: 1 }],
    ['compare-and-set', 'none', {}],
    ['conditional-decrement', 'drops 1, pauses 1, lost replies 1', { drops: 1, pauses: 1, lostReplies: 1 }],
  ];
  console.log(`cores ${availableParallelism()}, load average before ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`| strategy | bounds | 1 worker: executions (+ blocked) | ${workers} workers: executions (+ blocked), subtrees | 1 worker time | ${workers} workers time | speedup | machine ceiling (2 threads vs 1) | same verdict and final states |`);
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [name, label, bounds] of configs) {
    if (only !== '' && !only.split(',').includes(name)) continue;
    const strategy = STRATEGIES.get(name)!;
    const t1: number[] = [];
    const tk: number[] = [];
    let one = null as ReturnType<typeof searchSchedules> | null;
    let many = null as Awaited<ReturnType<typeof searchParallel>> | null;
    for (let r = 0; r < rounds; r++) {
      const runOne = () => {
        const t0 = performance.now(); // wall-clock: a benchmark
        one = searchSchedules(scenario, strategy, { bounds });
        t1.push(performance.now() - t0); // wall-clock: a benchmark
      };
      const runMany = async () => {
        const t0 = performance.now(); // wall-clock: a benchmark
        many = await searchParallel({ scenario, strategy: name, strategyName: name, cwd: process.cwd(), workers, bounds });
        tk.push(performance.now() - t0); // wall-clock: a benchmark
      };
      // Alternate which goes first: the machine's load drifts.
      if (r % 2 === 0) {
        runOne();
        await runMany();
      } else {
        await runMany();
        runOne();
      }
    }
    const c = await ceiling();
    const a = one!;
    const b = many!;
    const same = a.exhausted === b.exhausted && (a.found === null) === (b.found === null) && JSON.stringify(a.finalStates) === JSON.stringify(b.finalStates);
    console.log(`| ${name} | ${label} | ${a.executions} (+${a.blocked})${a.exhausted ? ', exhausted' : ''} | ${b.executions} (+${b.blocked}), ${b.subtrees}${b.exhausted ? ', exhausted' : ''} | ${(median(t1) / 1000).toFixed(1)} s | ${(median(tk) / 1000).toFixed(1)} s | ${(median(t1) / median(tk)).toFixed(2)}x | ${c.toFixed(2)}x | ${same ? 'yes' : '**no**'} |`);
  }
  console.log(`load average after ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  process.exit(0);
}

const beforeDir = arg('before', '');
if (beforeDir !== '') {
  const old = (await import(`${beforeDir.replace(/\/$/, '')}/dist/index.js`)) as { searchSchedules: typeof searchSchedules; STRATEGIES: typeof STRATEGIES };
  console.log(`budget ${budget} executions (blocked included); cores ${availableParallelism()}, load average before ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  console.log('| strategy | bounds | before: result | executions (unrealizable) | blocked | time | estimate | after: result | executions (unrealizable) | blocked | time | estimate | final states (before / after) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  // Time as wall clock and as this process's CPU time (user + system): on a machine shared with
  // other jobs the CPU time is what the search would take with a core to itself.
  const cell = (s: ReturnType<typeof searchSchedules>, ms: number, cpuMs: number): string => {
    const result = s.found ? `violation (${s.found.violations.map((v) => v.invariant).join(', ')})` : s.exhausted ? '**exhausted**' : `bounded (${s.boundedBy})`;
    return `${result} | ${s.executions} (${s.unrealizable}) | ${s.blocked} | ${(ms / 1000).toFixed(1)} s (cpu ${(cpuMs / 1000).toFixed(1)} s) | ${s.exhausted ? '-' : s.estimate.toExponential(1)}`;
  };
  let round = 0;
  for (const [name, label, bounds] of CONFIGS) {
    if (only !== '' && !only.split(',').includes(name)) continue;
    if (onlyBounds !== '' && label !== onlyBounds) continue;
    type Timed = [ReturnType<typeof searchSchedules>, number, number];
    const runWith = (search: typeof searchSchedules, strategies: typeof STRATEGIES): Timed => {
      const t0 = performance.now(); // wall-clock: a benchmark
      const c0 = process.cpuUsage(); // wall-clock: a benchmark
      const r = search(scenario, strategies.get(name)!, { bounds, maxExecutions: budget, semantics });
      const c = process.cpuUsage(c0); // wall-clock: a benchmark
      return [r, performance.now() - t0, (c.user + c.system) / 1000]; // wall-clock: a benchmark
    };
    // Alternate which goes first: the machine's load drifts.
    let a: Timed;
    let b: Timed;
    if (process.argv.includes('--after-only')) {
      b = runWith(searchSchedules, STRATEGIES);
      console.log(`| ${name} | ${label} | - | - | - | - | - | ${cell(b[0], b[1], b[2])} | - / ${b[0].finalStates.length} |`);
      continue;
    }
    if (round++ % 2 === 0) {
      a = runWith(old.searchSchedules, old.STRATEGIES);
      b = runWith(searchSchedules, STRATEGIES);
    } else {
      b = runWith(searchSchedules, STRATEGIES);
      a = runWith(old.searchSchedules, old.STRATEGIES);
    }
    console.log(`| ${name} | ${label} | ${cell(a[0], a[1], a[2])} | ${cell(b[0], b[1], b[2])} | ${a[0].finalStates.length} / ${b[0].finalStates.length} |`);
  }
  console.log(`\nload average after ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  process.exit(0);
}

console.log(`semantics: ${semantics}, budget ${budget}\n`);
console.log(`| strategy | bounds | result | executions (unrealizable) | blocked | final states | time | executions/s | estimate (Knuth) | sweep runs/s (windowed, same scenario) | explore / sweep |`);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
// `--lookahead`: each row twice, side by side, without and with the timed semantics' rule 7.
const lookaheadPairs = process.argv.includes('--lookahead');
const ROWS = lookaheadPairs
  ? CONFIGS.flatMap(([n, l, b]): Array<[string, string, Partial<FaultBounds>]> => [[n, `${l}, no lookahead`, b], [n, l, b]])
  : CONFIGS;
for (const [name, label, bounds] of ROWS) {
  if (only !== '' && !only.split(',').includes(name)) continue;
  if (onlyBounds !== '' && label.replace(', no lookahead', '') !== onlyBounds) continue;
  const strategy = STRATEGIES.get(name)!;
  const t0 = performance.now(); // wall-clock: a benchmark
  const s = searchSchedules(scenario, strategy, { bounds, maxExecutions: budget, reduction: !label.includes('--no-reduction'), independence: label.includes('nodes') ? 'nodes' : 'rows', keepGoing, semantics, lookahead: !label.includes('no lookahead') });
  const ms = performance.now() - t0; // wall-clock: a benchmark
  const n = s.executions + s.blocked;
  const rate = (n * 1000) / ms;
  const t1 = performance.now(); // wall-clock: a benchmark
  sweepInline({ ...scenario, strategy: { ...scenario.strategy, name } }, { start: 1, count: Math.max(200, Math.min(n, 2000)), strategy });
  const sweepRate = (Math.max(200, Math.min(n, 2000)) * 1000) / (performance.now() - t1); // wall-clock: a benchmark
  const result = s.found && !(keepGoing && s.exhausted) ? `violation (${s.found.violations.map((v) => v.invariant).join(', ')})` : s.exhausted ? (s.found ? `**exhausted**, violation (${s.found.violations.map((v) => v.invariant).join(', ')})` : '**exhausted**, 0 violations') : `bounded (${s.boundedBy})`;
  console.log(`| ${name} | ${label} | ${result} | ${s.executions} (${s.unrealizable}) | ${s.blocked} | ${s.finalStates.length} | ${(ms / 1000).toFixed(1)} s | ${Math.round(rate)} | ${s.exhausted ? '-' : s.estimate.toExponential(1)} | ${Math.round(sweepRate)} | ${(rate / sweepRate).toFixed(2)} |`);
}
