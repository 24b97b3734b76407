import type { FaultRow } from '../explore/marks.js';
import type { CheckFaultRow } from '../explore/check.js';
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
export function formatFaultRows<R extends FaultRow>(rows: readonly R[], runs: number, c: Colors = plain, o: FaultRowsText<R> = {}): string[] {
  if (rows.length === 0) return [];
  const lines = [`faults   struck  in failing  (of ${plural(runs, o.run ?? 'run')})${o.header ?? ''}`];
  for (const r of rows) {
    const n = String(r.struckRuns).padStart(6);
    const note = r.struckRuns === 0 ? c.yellow(`   never struck${r.claimed ? '' : ' (a timing, not claimed)'}`) : '';
    lines.push(`         ${r.struckRuns === 0 ? c.yellow(n) : n}  ${String(r.struckInFailingRuns).padStart(10)}  ${r.what}${note}${o.suffix?.(r) ?? ''}`);
  }
  return lines;
}

export interface FaultRowsText<R> {
  /** What a run is called ("property run"). */
  readonly run?: string;
  /** Appended to the header line. */
  readonly header?: string;
  /** Appended to a fault's line. */
  readonly suffix?: (row: R) => string;
}

/** check's faults: the property runs' counts, and what each did in the counterexample. */
export function formatCheckFaults(rows: readonly CheckFaultRow[], runs: number, c: Colors = plain): string[] {
  const found = rows.some((r) => r.counterexample !== null);
  const anyStruck = rows.some((r) => r.counterexample?.struck === true);
  return formatFaultRows(rows, runs, c, {
    run: 'property run',
    header: !found ? '' : anyStruck ? '; the counterexample: which struck, and which it needs (without them its violations go away)' : '; none struck in the counterexample',
    suffix: (r) => {
      const x = r.counterexample;
      if (x === null || !x.struck) return '';
      return x.mattered ? c.bold('   · counterexample: needed') : '   · counterexample: struck, not needed';
    },
  });
}

/** One warning line per fault in `never` (explore/marks.ts `neverStruck`: the claimed ones that struck in none of `runs` runs). */
export function neverStruckWarnings(scenario: string, never: readonly FaultRow[], runs: number, c: Colors = plain): string[] {
  return never.map((r) => c.yellow(`warning: ${scenario}: ${r.what}${r.step === null ? ` (${r.enabledBy})` : ''} never struck in ${plural(runs, 'run')}: they say nothing about it`));
}
