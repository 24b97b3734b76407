import type { FaultRow } from '../explore/marks.js';
import { neverStruck } from '../explore/marks.js';
import { plain, type Colors } from './colors.js';
import { plural } from './phrases.js';

/**
 * Faults seen to strike, for people: one line per fault the scenario enables, with the runs
 * it struck in and how many of those broke an invariant, e.g.
 *
 *   faults   struck  in failing  (of 1000 runs)
 *              1000           3  step 0: pause app2 at 250 ms for 8000 ms
 *               812           3  requests lost (60‰)
 *                 0           0  requests duplicated (60‰)   never struck
 */
export function formatFaultRows(rows: readonly FaultRow[], runs: number, c: Colors = plain): string[] {
  if (rows.length === 0) return [];
  const lines = [`faults   struck  in failing  (of ${plural(runs, 'run')})`];
  for (const r of rows) {
    const n = String(r.struckRuns).padStart(6);
    const note = r.struckRuns === 0 ? c.yellow(`   never struck${r.claimed ? '' : ' (a timing, not claimed)'}`) : '';
    lines.push(`         ${r.struckRuns === 0 ? c.yellow(n) : n}  ${String(r.struckInFailingRuns).padStart(10)}  ${r.what}${note}`);
  }
  return lines;
}

/** One warning line per claimed fault that struck in none of `runs` runs. */
export function neverStruckWarnings(scenario: string, rows: readonly FaultRow[], runs: number, c: Colors = plain): string[] {
  return neverStruck(rows, runs).map((r) => c.yellow(`warning: ${scenario}: ${r.what}${r.step === null ? ` (${r.enabledBy})` : ''} never struck in ${plural(runs, 'run')}: they say nothing about it`));
}
