/**
 * What causal clock readings cost `explore` (docs/benchmarks.md, "Clock readings"): each row
 * searched with a clock read answered by the kernel's label (as before 2026-12-02: the
 * explorer's Scheduler.clockMs taken away) and by the firing event's earliest time given its
 * causal past (Execution.clockMs), side by side in one process. Only wall-clock-expiry reads a
 * clock, so only its rows can differ.
 *
 *   npx tsx bench/clockReads.ts [--budget 20000]
 */
import { readFileSync } from 'node:fs';
import { parseScenario, searchSchedules, STRATEGIES, formatProblem } from '../src/index.js';
import { Execution } from '../src/explore/exhaustive/execution.js';
import type { FaultBounds } from '../src/explore/exhaustive/bounds.js';

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
const causal = Execution.prototype.clockMs;
console.log('| scenario | bounds | reduction | clock read | result | executions | blocked | final states | time |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [name, bounds, reduction] of rows) {
  const r = parseScenario(readFileSync(`scenarios/${name}.json`, 'utf8'), `${name}.json`);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  for (const read of ['label', 'causal'] as const) {
    // The kernel falls back to its label when the scheduler has no clockMs.
    (Execution.prototype as { clockMs?: () => number }).clockMs = read === 'causal' ? causal : undefined;
    const t0 = performance.now(); // wall-clock: measurement only
    const s = searchSchedules(r.scenario, strategy, { bounds, reduction, keepGoing: true, maxExecutions: budget });
    const ms = performance.now() - t0; // wall-clock: measurement only
    const result = `${s.exhausted ? 'exhausted' : `bounded (${s.boundedBy})`}${s.found === null ? '' : `, violation (${s.found.violations[0].invariant})`}`;
    const b = Object.entries(bounds).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    console.log(`| ${name} | ${b} | ${reduction ? 'DPOR' : 'none'} | ${read} | ${result} | ${s.executions} | ${s.blocked} | ${s.finalStates.length} | ${(ms / 1000).toFixed(1)} s |`);
  }
}
(Execution.prototype as { clockMs?: () => number }).clockMs = causal;
