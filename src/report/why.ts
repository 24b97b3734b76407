import { ListSource } from '../sim/sources.js';
import { runOnce, type RunResult, type RunnableScenario } from '../explore/run.js';
import type { Strategy } from '../inventory/strategy.js';
import { AlignedSource } from '../explore/alignedSource.js';
import { Budget, ddmin } from './ddmin.js';
import { faultsOf, type Fault } from './faults.js';

export { AlignedSource } from '../explore/alignedSource.js';

/** A failing run as a replay file holds it: scenario, strategy, recorded answers. */
export interface FailingRun {
  readonly scenario: RunnableScenario;
  readonly strategy: Strategy;
  /** The recorded answers (a replay file's `answers`). */
  readonly answers: readonly number[];
  readonly instantDb?: boolean;
}

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
 * Caveat: answers are positional. Zeroing one choice can change which questions the run asks
 * after it (a request that is no longer lost is not retried, so later answers go to other
 * questions). The runs stay deterministic and the verdicts true; only "the same fault" may
 * land elsewhere in a changed run. docs/reading-a-race.md says more.
 */
export function why(failing: FailingRun, opts: WhyOptions = {}): WhyResult {
  const budget = new Budget(opts.maxRuns ?? 2000);
  const run = runOnce(failing.scenario, {
    strategy: failing.strategy, source: new ListSource(failing.answers, 'recorded'), instantDb: failing.instantDb, keepTrace: true, recordChoices: true,
  });
  const target = new Set(run.violations.map((v) => v.invariant));
  const faults = faultsOf(run.choices ?? [], failing.scenario.faults.steps).filter((f) => opts.timings === true || f.category === 'fault');
  const recorded = run.choices ?? [];
  const base = recorded.map((c) => c.value);
  const breaks = (kept: readonly Fault[]): boolean => {
    const keep = new Set(kept);
    const values = [...base];
    for (const f of faults) if (f.source === 'choice' && !keep.has(f)) values[f.index] = 0;
    const steps = failing.scenario.faults.steps.filter((_, i) => kept.some((f) => f.source === 'step' && f.index === i));
    const scenario = { ...failing.scenario, faults: { ...failing.scenario.faults, steps } };
    const r = runOnce(scenario, { strategy: failing.strategy, source: new AlignedSource(recorded, values), instantDb: failing.instantDb });
    return r.violations.some((v) => target.has(v.invariant));
  };
  if (target.size === 0) {
    return { target: [], faults, necessary: [], sufficient: [], sufficientReproduces: false, failsWithoutFaults: false, runs: 1, budgetExhausted: false, run };
  }
  const necessary: Fault[] = [];
  for (const f of faults) {
    if (budget.exhausted) break;
    budget.used++;
    if (!breaks(faults.filter((g) => g !== f))) necessary.push(f);
  }
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
