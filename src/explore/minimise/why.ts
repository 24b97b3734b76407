import { runOnce, type RunResult } from '../run.js';
import { WHY_RUNS_MAX_DEFAULT } from '../../defaults.js';
import { Budget, ddmin, necessaryOf, oneMinimal } from './search.js';
import { faultsOf, type Fault } from './faults.js';
import { choiceContextOf } from '../describeChoices.js';
import { answersKeeping, recordedRun, stepsKeeping, type FailingRun } from './removal.js';

export type { FailingRun } from './removal.js';

export interface WhyOptions {
  /** Most simulations to spend (default 2000); the answer so far is reported when it runs out. */
  readonly maxRuns?: number;
  /**
   * Also treat timings (delays, lags, arrivals above their minimum) as removable. By default
   * (undefined) faults are asked first, with the timings as they were (a race needs *some*
   * timing, and shifting every arrival to 0 rewrites the run); when no fault is necessary,
   * the timings are asked too, so that a slow payment is named instead of "the code". true:
   * always; false: never.
   */
  readonly timings?: boolean;
}

export interface WhyResult {
  /** The invariants the recorded run broke: "the violation" that must go away. */
  readonly target: readonly string[];
  readonly faults: readonly Fault[];
  /** Removing any one of these alone makes every target invariant hold. */
  readonly necessary: readonly Fault[];
  /**
   * A set that, with every other fault removed, still breaks a target invariant, and is
   * 1-minimal: removing any one of its faults makes every target invariant hold (checked by a
   * run each). The necessary faults are kept unless the set breaks without them; in the
   * order of `faults`.
   */
  readonly sufficient: readonly Fault[];
  /**
   * Whether `sufficient` was verified by one more run (with every other fault removed, it
   * breaks a target invariant). If the shrunk set failed that check, `sufficient` falls back
   * to every fault; false only when even that did not reproduce the violation.
   */
  readonly sufficientReproduces: boolean;
  /** Even with every fault removed the run breaks a target invariant (naive needs no fault). */
  readonly failsWithoutFaults: boolean;
  readonly runs: number;
  readonly budgetExhausted: boolean;
  /** Whether timings were removable faults in this answer (asked, or by default because no fault was necessary). */
  readonly timings: boolean;
  /** Timings were asked because no fault was necessary (not because the caller said so). */
  readonly timingsByDefault: boolean;
  /** The recorded run, re-executed with its trace and choices. */
  readonly run: RunResult;
}

/**
 * Which faults does the violation need? Re-runs the failing run with each fault removed in turn
 * (a recorded choice set to 0, a scenario fault step deleted): the ones whose removal makes the
 * violation go away are *necessary*. Then delta-debugs the other faults, with the necessary
 * ones always kept, down to a minimal set that is *sufficient* on its own, and checks it with
 * one more run, and proves it 1-minimal (removing any one of its faults makes the violation go
 * away). The necessary faults are its last candidates for removal, so it holds them unless it
 * breaks without one (runs are not monotonic in their faults). When no fault is necessary,
 * the timings are asked too (unless `timings` says otherwise).
 *
 * Every changed run answers by meaning (removal.ts): a fault removed is that question's, and
 * every other question keeps its recorded answer wherever it now falls in the run. The runs
 * stay deterministic and the verdicts true; docs/reading-a-race.md says more.
 */
export function why(failing: FailingRun, opts: WhyOptions = {}): WhyResult {
  if (opts.timings !== undefined) return whyOnce(failing, opts.timings, new Budget(opts.maxRuns ?? WHY_RUNS_MAX_DEFAULT));
  const budget = new Budget(opts.maxRuns ?? WHY_RUNS_MAX_DEFAULT);
  const faultsOnly = whyOnce(failing, false, budget);
  const hasTimings = faultsOf(faultsOnly.run.choices ?? [], []).some((f) => f.category === 'timing');
  if (faultsOnly.target.length === 0 || faultsOnly.necessary.length > 0 || !hasTimings || budget.exhausted) return faultsOnly;
  // No fault is necessary: perhaps a timing is (a slow payment, a late arrival). Ask again
  // with the timings removable, on what is left of the budget.
  const withTimings = whyOnce(failing, true, budget);
  return { ...withTimings, runs: faultsOnly.runs + withTimings.runs, timingsByDefault: true };
}

function whyOnce(failing: FailingRun, timings: boolean, budget: Budget): WhyResult {
  const start = budget.used;
  const run = recordedRun(failing);
  const target = new Set(run.violations.map((v) => v.invariant));
  const recorded = run.choices ?? [];
  const faults = faultsOf(recorded, failing.scenario.faults.steps, choiceContextOf(failing.scenario)).filter((f) => timings || f.category === 'fault');
  const breaks = (kept: readonly Fault[]): boolean => {
    const steps = stepsKeeping(failing.scenario.faults.steps, faults, kept);
    const scenario = { ...failing.scenario, faults: { ...failing.scenario.faults, steps } };
    const r = runOnce(scenario, { strategy: failing.strategy, source: answersKeeping(recorded, faults, kept), instantDb: failing.instantDb });
    return r.violations.some((v) => target.has(v.invariant));
  };
  if (target.size === 0) {
    return { target: [], faults, necessary: [], sufficient: [], sufficientReproduces: false, failsWithoutFaults: false, runs: 1, budgetExhausted: false, timings, timingsByDefault: false, run };
  }
  const necessary = necessaryOf(faults, breaks, budget);
  // ddmin over the rest, the necessary faults always kept. It tries the empty set first:
  // with no necessary fault, that is "no fault is needed at all".
  const others = faults.filter((f) => !necessary.includes(f));
  const shrunk = ddmin(others, (kept) => breaks([...necessary, ...kept]), budget);
  const inOrder = (set: readonly Fault[]): Fault[] => faults.filter((f) => set.includes(f));
  let sufficient = inOrder([...necessary, ...shrunk]);
  // Verified by a run of its own (outside the budget: the answer must be true, not cheap).
  let sufficientReproduces = breaks(sufficient);
  let extraRuns = 1;
  if (!sufficientReproduces && sufficient.length < faults.length) {
    sufficient = [...faults];
    sufficientReproduces = breaks(sufficient);
    extraRuns++;
  }
  if (sufficientReproduces && sufficient.length > 0) {
    // 1-minimal, proven: removing any one fault of the set makes the violation go away (a
    // pass with one run per fault; outside the budget too). ddmin's answer usually is
    // already, but not when its budget ran out or runs are not monotonic. The necessary
    // faults go first, so they are the last tried: kept unless the set breaks without them.
    const first = [...necessary, ...sufficient.filter((f) => !necessary.includes(f))];
    const minimal = oneMinimal(first, breaks);
    sufficient = inOrder(minimal.kept);
    extraRuns += minimal.runs;
  }
  const failsWithoutFaults = sufficientReproduces && sufficient.length === 0;
  return {
    target: [...target], faults, necessary, sufficient, sufficientReproduces, failsWithoutFaults,
    runs: budget.used - start + extraRuns + 1, budgetExhausted: budget.exhausted, timings, timingsByDefault: false, run,
  };
}
