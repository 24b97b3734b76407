import { runOnce, type RunResult } from '../run.js';
import { WHY_RUNS_MAX_DEFAULT } from '../../defaults.js';
import { Budget, ddmin, necessaryOf } from './search.js';
import { faultsOf, type Fault } from './faults.js';
import { answersKeeping, recordedRun, stepsKeeping, type FailingRun } from './removal.js';

export type { FailingRun } from './removal.js';

export interface WhyOptions {
  /** Most simulations to spend (default 2000); the answer so far is reported when it runs out. */
  readonly maxRuns?: number;
  /**
   * Also treat timings (delays, lags, arrivals above their minimum) as removable. Off by
   * default: a race needs *some* timing, and shifting every arrival to 0 rewrites the run, so
   * the question people ask is which faults it needs, with the timings as they were.
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
   * A set that, with every other fault removed, still breaks a target invariant: every
   * necessary fault, plus a 1-minimal subset of the others (ddmin with the necessary ones
   * always kept), in the order of `faults`.
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
  /** The recorded run, re-executed with its trace and choices. */
  readonly run: RunResult;
}

/**
 * Which faults does the violation need? Re-runs the failing run with each fault removed in turn
 * (a recorded choice set to 0, a scenario fault step deleted): the ones whose removal makes the
 * violation go away are *necessary*. Then delta-debugs the other faults, with the necessary
 * ones always kept, down to a minimal set that is *sufficient* on its own, and checks it with
 * one more run. The two lists cannot contradict each other: the sufficient set holds every
 * necessary fault (runs are not monotonic in their faults, so a ddmin over all of them could
 * land on a set without one, which "necessary" says cannot break anything).
 *
 * Every changed run answers by meaning (removal.ts): a fault removed is that question's, and
 * every other question keeps its recorded answer wherever it now falls in the run. The runs
 * stay deterministic and the verdicts true; docs/reading-a-race.md says more.
 */
export function why(failing: FailingRun, opts: WhyOptions = {}): WhyResult {
  const budget = new Budget(opts.maxRuns ?? WHY_RUNS_MAX_DEFAULT);
  const run = recordedRun(failing);
  const target = new Set(run.violations.map((v) => v.invariant));
  const recorded = run.choices ?? [];
  const faults = faultsOf(recorded, failing.scenario.faults.steps).filter((f) => opts.timings === true || f.category === 'fault');
  const breaks = (kept: readonly Fault[]): boolean => {
    const steps = stepsKeeping(failing.scenario.faults.steps, faults, kept);
    const scenario = { ...failing.scenario, faults: { ...failing.scenario.faults, steps } };
    const r = runOnce(scenario, { strategy: failing.strategy, source: answersKeeping(recorded, faults, kept), instantDb: failing.instantDb });
    return r.violations.some((v) => target.has(v.invariant));
  };
  if (target.size === 0) {
    return { target: [], faults, necessary: [], sufficient: [], sufficientReproduces: false, failsWithoutFaults: false, runs: 1, budgetExhausted: false, run };
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
  const failsWithoutFaults = sufficientReproduces && sufficient.length === 0;
  return {
    target: [...target], faults, necessary, sufficient, sufficientReproduces, failsWithoutFaults,
    runs: budget.used + extraRuns + 1, budgetExhausted: budget.exhausted, run,
  };
}
