import { faultMarksOf, type FaultMark, type FaultName } from '../inventory/faultMarks.js';
import type { WorldConfig } from '../inventory/world.js';
import { describeStep } from '../scenario/describeStep.js';

/**
 * Faults seen to strike, counted over many runs (a sweep, a property's runs, an explorer's
 * schedules): for each fault a scenario enables, in how many runs it took effect, and in how
 * many of those the run broke an invariant.
 *
 * "Mattered" over many runs is *struck in a failing run*: cheap (no run is repeated) and
 * sound as a bound, since a fault that did not strike, or struck in a run that broke nothing,
 * cannot have mattered to a violation. It over-counts: a fault may strike in a failing run
 * without being needed (`why` says which were). check's counterexample gets the precise
 * answer (explore/faultsMattered.ts).
 *
 * Every count is an integer, so tallies of disjoint runs (workers, shards) add up exactly, in
 * any order. Usage, for any loop over runs:
 *
 *   const t = emptyFaultTally();
 *   for (...) { const r = runOnce(...); addRunFaults(t, r.faultsStruck, r.violations.length > 0); }
 *   const rows = faultRows(scenario, t);   // one row per enabled fault, zeros included
 *   neverStruck(rows)                      // the claimed faults that never struck: warn
 */
export interface FaultTally {
  /** Mark id -> runs in which that fault struck (ids that never struck are absent). */
  faultsStruck: Record<string, number>;
  /** Mark id -> runs in which it struck and the run broke an invariant. */
  faultsStruckFailing: Record<string, number>;
}

export function emptyFaultTally(): FaultTally {
  return { faultsStruck: {}, faultsStruckFailing: {} };
}

/** Counts one run: the marks it hit (`RunResult.faultsStruck`), and whether it broke an invariant. */
export function addRunFaults(t: FaultTally, struck: readonly string[], failed: boolean): void {
  for (const id of struck) {
    t.faultsStruck[id] = (t.faultsStruck[id] ?? 0) + 1;
    if (failed) t.faultsStruckFailing[id] = (t.faultsStruckFailing[id] ?? 0) + 1;
  }
}

/** Adds `from`'s counts into `into`. */
export function addFaultTally(into: FaultTally, from: FaultTally): void {
  for (const [id, n] of Object.entries(from.faultsStruck)) into.faultsStruck[id] = (into.faultsStruck[id] ?? 0) + n;
  for (const [id, n] of Object.entries(from.faultsStruckFailing)) into.faultsStruckFailing[id] = (into.faultsStruckFailing[id] ?? 0) + n;
}

/** A fault the scenario enables, with its words (a result keeps them: merge has no scenario to ask). */
export interface DescribedFault extends FaultMark {
  /** For people: "requests lost (60‰)", "step 2: crash app3 at 450 ms, restart at 2500 ms". */
  readonly what: string;
}

/** One enabled fault and its counts (what `--json` prints under `faults`). */
export interface FaultRow extends DescribedFault {
  /** Runs in which it struck. */
  readonly struckRuns: number;
  /** Runs in which it struck and an invariant broke (an upper bound on the runs it mattered to). */
  readonly struckInFailingRuns: number;
}

/** One row per fault the scenario enables, in faultMarksOf's order, with the tally's counts (0 if none). */
export function faultRows(scenario: WorldConfig, t: FaultTally): FaultRow[] {
  return rowsOf(describedFaults(scenario), t);
}

/** The faults `scenario` enables, in words. */
export function describedFaults(scenario: WorldConfig): DescribedFault[] {
  return faultMarksOf(scenario).map((m) => ({ ...m, what: faultWhat(m, scenario) }));
}

/** The rows of `faults` (e.g. a sweep result's own list, when merging) with the tally's counts. */
export function rowsOf(faults: readonly DescribedFault[], t: FaultTally): FaultRow[] {
  return faults.map((m) => ({
    id: m.id, fault: m.fault, step: m.step, enabledBy: m.enabledBy, claimed: m.claimed, what: m.what,
    struckRuns: t.faultsStruck[m.id] ?? 0,
    struckInFailingRuns: t.faultsStruckFailing[m.id] ?? 0,
  }));
}

/**
 * `a`'s rows with `b`'s counts added, by id: the slices of one search (the CLI's, between which
 * Ctrl-C is heard) and the subtrees of a split one each count only their own executions.
 */
export function addFaultRows(a: readonly FaultRow[], b: readonly FaultRow[]): FaultRow[] {
  const more = new Map(b.map((r) => [r.id, r]));
  return a.map((r) => {
    const m = more.get(r.id);
    return m === undefined ? r : { ...r, struckRuns: r.struckRuns + m.struckRuns, struckInFailingRuns: r.struckInFailingRuns + m.struckInFailingRuns };
  });
}

/** The claimed faults that struck in none of the runs (nothing to warn about when nothing ran). */
export function neverStruck(rows: readonly FaultRow[], runs: number): FaultRow[] {
  return runs === 0 ? [] : rows.filter((r) => r.claimed && r.struckRuns === 0);
}

const CHANCE_WORDS: Partial<Record<FaultName, string>> = {
  'drop-request': 'requests lost',
  'drop-reply': 'replies lost',
  duplicate: 'requests duplicated',
  'random-pause': 'random pauses',
  'random-crash': 'app-server crashes',
  'clock-skew': 'clocks skewed',
  decline: 'payments declined',
  'replica-lag': 'stale replica reads',
};

/** A fault in words, with the setting that enables it: "requests lost (60‰)", "step 2: pause app2 at 250 ms for 8000 ms". */
function faultWhat(m: FaultMark, s: WorldConfig): string {
  if (m.step !== null) return `step ${m.step}: ${describeStep(s.faults.steps[m.step])}`;
  const words = CHANCE_WORDS[m.fault] ?? m.fault;
  switch (m.fault) {
    case 'drop-request':
      return `${words} (${s.network.dropRequestPerMille}‰)`;
    case 'drop-reply':
      return `${words} (${s.network.dropReplyPerMille}‰)`;
    case 'duplicate':
      return `${words} (${s.network.duplicatePerMille}‰)`;
    case 'random-pause':
      return `${words} (${s.faults.randomPauses.perMille}‰ per reply, ${s.faults.randomPauses.durationMsMin}-${s.faults.randomPauses.durationMsMax} ms)`;
    case 'random-crash':
      return `${words} (${s.faults.randomCrashes?.perMille ?? 0}‰ per message, down ${s.faults.randomCrashes?.restartMsMin ?? 0}-${s.faults.randomCrashes?.restartMsMax ?? 0} ms)`;
    case 'clock-skew':
      return `${words} (up to ±${s.faults.clockSkew.offsetMsMax} ms, ±${s.faults.clockSkew.driftPpmMax} ppm)`;
    case 'decline':
      return `${words} (${s.payment.failPerMille}‰)`;
    case 'replica-lag':
      return `${words} (lag ${s.topology.replicas.map((r) => `${r.lagMsMin}-${r.lagMsMax} ms`).join(', ')})`;
    default:
      return words;
  }
}
