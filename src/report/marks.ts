import type { FaultRow } from '../explore/marks.js';
import type { CheckFaultRow } from '../explore/check.js';
import { plain, type Colors } from './colors.js';
import { plural } from './plural.js';

/**
 * Faults seen to strike, for people: one line per fault the scenario enables, with the runs
 * it struck in and how many of those broke an invariant, e.g.
 *
 *   faults   struck  in failing  (of 1000 runs)
 *              1000           3  step 0: pause app2 at 250 ms for 8000 ms
 *               812           3  requests lost (60‰)
 *                 0           0  requests duplicated (60‰)   never struck
 */
export function formatFaultRows(rows: readonly FaultRow[], runs: number, c: Colors = plain, run = 'run'): string[] {
  if (rows.length === 0) return [];
  const lines = [`faults   struck  in failing  (of ${plural(runs, run)})`];
  for (const r of rows) {
    const n = String(r.struckRuns).padStart(6);
    const note = r.struckRuns === 0 ? c.yellow(`   never struck${r.claimed ? '' : ' (a timing, not claimed)'}`) : '';
    lines.push(`         ${r.struckRuns === 0 ? c.yellow(n) : n}  ${String(r.struckInFailingRuns).padStart(10)}  ${r.what}${note}`);
  }
  return lines;
}

/**
 * check's faults. After a search that found nothing: the table, over the property runs. With a
 * counterexample, compactly, what each fault did in it (the property runs up to the failure
 * are few; their counts are in `--json`):
 *
 *   faults   needed by the counterexample: step 0: pause app2 at 250 ms for 8000 ms
 *            struck in it, not needed: replies lost (60‰); step 2: crash app3 at 450 ms, ...
 */
export function formatCheckFaults(rows: readonly CheckFaultRow[], runs: number, c: Colors = plain): string[] {
  if (!rows.some((r) => r.counterexample !== null)) return formatFaultRows(rows, runs, c, 'property run');
  const needed = rows.filter((r) => r.counterexample?.mattered === true).map((r) => r.what);
  const notNeeded = rows.filter((r) => r.counterexample?.struck === true && !r.counterexample.mattered).map((r) => r.what);
  if (needed.length === 0 && notNeeded.length === 0) return ['faults   none struck in the counterexample'];
  const lines: string[] = [];
  if (needed.length > 0) lines.push(`needed by the counterexample: ${c.bold(needed.join('; '))}`);
  if (notNeeded.length > 0) lines.push(`struck in it, not needed: ${notNeeded.join('; ')}`);
  return lines.map((l, i) => `${i === 0 ? 'faults' : '      '}   ${l}`);
}

/** One warning line per fault in `never` (explore/marks.ts `neverStruck`: the claimed ones that struck in none of `runs` runs). */
export function neverStruckWarnings(scenario: string, never: readonly FaultRow[], runs: number, c: Colors = plain): string[] {
  return never.map((r) => c.yellow(`warning: ${scenario}: ${r.what}${r.step === null ? ` (${r.enabledBy})` : ''} never struck in ${plural(runs, 'run')}: they say nothing about it`));
}
