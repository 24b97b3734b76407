/**
 * What causal clock readings cost `explore` (docs/benchmarks.md, "Clock readings"): each row
 * searched with a clock read answered by the kernel's label (as before 2026-12-02: the
 * explorer's Scheduler.clockMs taken away), by the firing event's earliest time given its
 * causal past only (every `clock-read` choice answered 0, as from 2026-12-02 09:30 to the
 * two-class reads), and by the `clock-read` choice between the earliest and the latest
 * (Execution.clockMs), side by side in one process. Only wall-clock-expiry reads a clock, so
 * only its rows can differ.
 *
 *   npx tsx bench/clockReads.ts [--budget 20000] [--others-only]
 */
import { readFileSync } from 'node:fs';
import { loadSqlParser, parseScenario, searchSchedules, STRATEGIES, formatProblem } from '../src/index.js';
import { Execution } from '../src/explore/exhaustive/execution.js';
import type { FaultBounds } from '../src/explore/exhaustive/bounds.js';
import type { Choices } from '../src/sim/choice.js';
import type { HasSubject } from '../src/sim/subjects.js';

const at = process.argv.indexOf('--budget');
const budget = at > 0 ? Number(process.argv[at + 1]) : 20_000;
const strategy = STRATEGIES.get('wall-clock-expiry')!;
const rows: Array<[string, Partial<FaultBounds>, boolean]> = [
  ['explore-small-wall-clock-expiry', {}, true],
  ['explore-small-wall-clock-expiry', {}, false],
  ['explore-small-wall-clock-expiry', { drops: 1 }, true],
  ['explore-small-wall-clock-expiry', { pauses: 1 }, true],
  ['explore-small-wall-clock-expiry', { crashes: 1 }, true],
  ['explore-small', {}, true],
];
type ClockMs = (this: Execution, node: HasSubject, choices: Choices) => number;
const causal: ClockMs = Execution.prototype.clockMs;
// Every clock-read choice answered 0 (earliest) without asking the explorer: no decision on the path.
const earliestOnly: ClockMs = function (node) {
  return causal.call(this, node, { ask: () => 0 } as unknown as Choices);
};
const MODES: Record<'label' | 'earliest' | 'both', ClockMs | undefined> = { label: undefined, earliest: earliestOnly, both: causal };
console.log('| scenario | bounds | reduction | clock read | result | executions | blocked | final states | time |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [name, bounds, reduction] of process.argv.includes('--others-only') ? [] : rows) {
  const r = parseScenario(readFileSync(`scenarios/${name}.json`, 'utf8'), `${name}.json`);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  for (const read of ['label', 'earliest', 'both'] as const) {
    // The kernel falls back to its label when the scheduler has no clockMs.
    (Execution.prototype as { clockMs?: ClockMs }).clockMs = MODES[read];
    const t0 = performance.now(); // wall-clock: measurement only
    const s = searchSchedules(r.scenario, strategy, { bounds, reduction, keepGoing: true, maxExecutions: budget });
    const ms = performance.now() - t0; // wall-clock: measurement only
    const result = `${s.exhausted ? 'exhausted' : `bounded (${s.boundedBy})`}${s.found === null ? '' : `, violation (${s.found.violations[0].invariant})`}`;
    const b = Object.entries(bounds).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    console.log(`| ${name} | ${b} | ${reduction ? 'DPOR' : 'none'} | ${read} | ${result} | ${s.executions} | ${s.blocked} | ${s.finalStates.length} | ${(ms / 1000).toFixed(1)} s |`);
  }
}
(Execution.prototype as { clockMs?: ClockMs }).clockMs = causal;

// Every other strategy on explore-small: none reads a clock, so no clock-read choice is asked and
// earliest-only and two-class readings must search exactly the same tree.
{
  const r = parseScenario(readFileSync('scenarios/explore-small.json', 'utf8'), 'explore-small.json');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  console.log('\n| strategy (explore-small, DPOR) | earliest: executions (+blocked), final states | both: executions (+blocked), final states | same |');
  console.log('| --- | --- | --- | --- |');
  await loadSqlParser();
  for (const [name, strat] of STRATEGIES) {
    if (name === 'wall-clock-expiry') continue;
    const cells: string[] = [];
    for (const read of ['earliest', 'both'] as const) {
      (Execution.prototype as { clockMs?: ClockMs }).clockMs = MODES[read];
      const s = searchSchedules(r.scenario, strat, { keepGoing: true, maxExecutions: budget });
      cells.push(`${s.executions} (+${s.blocked}), ${s.finalStates.length}${s.exhausted ? '' : ` (bounded: ${s.boundedBy})`} ${s.finalStates.join(',')}`);
    }
    const short = cells.map((c) => c.slice(0, c.lastIndexOf(' ')));
    console.log(`| ${name} | ${short[0]} | ${short[1]} | ${cells[0] === cells[1] ? 'yes' : '**no**'} |`);
  }
  (Execution.prototype as { clockMs?: ClockMs }).clockMs = causal;
}
