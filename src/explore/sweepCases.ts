import type { SwarmKnobs } from './arbitraries.js';
import type { StreamLists } from './streamSource.js';

/**
 * The cases a check runs first, before fast-check generates any: the scenario as written under
 * seeds `start`, `start`+1, ..., `start`+`count`-1 (mod 2^32), i.e. exactly the runs of
 * `oversold sweep --start <start> --seeds <count>` in the scenario's own timing model (a seeded
 * case answers every question as a seeded run of its seed, and in the windowed model its
 * seeded `schedule` stream is the random scheduler a plain sweep runs). So a check is never
 * behind that sweep: whatever the sweep finds at its k-th seed, check finds at its k-th run
 * (docs/exploration.md, "oversold check"). fast-check runs them as `examples`: they count
 * towards `numRuns`, shrink like a generated seeded case (fast-check shrinks a value it did not
 * generate when the arbitrary recognises it: `knobs` must be the very object the case
 * arbitrary's `fc.constant` holds), and a `--path` counts them as its first runs.
 */
export function sweepCases(knobs: SwarmKnobs, start: number, count: number): [[SwarmKnobs, StreamLists]][] {
  const cases: [[SwarmKnobs, StreamLists]][] = [];
  // >>> 0: a seed is an unsigned 32-bit integer (explore/seedRange.ts); fast-check's seed may
  // be negative, and the seeded source reads `seed | 0`, so both name the same run.
  for (let i = 0; i < count; i++) cases.push([[knobs, { seed: (start + i) >>> 0 }]]);
  return cases;
}
