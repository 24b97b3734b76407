import type { Scenario } from '../scenario/index.js';
import type { Choice, ChoiceKind, ChoiceSource } from '../sim/choice.js';
import { stepMark, MARK_REPLICA_LAG, type FaultMark } from '../inventory/faultMarks.js';
import { MARK_DROP_REPLY, MARK_DROP_REQUEST, MARK_DUPLICATE, MARK_RANDOM_CRASH, MARK_RANDOM_PAUSE } from '../sim/marks.js';
import { MARK_CLOCK_SKEW, MARK_DECLINE } from '../inventory/faultMarks.js';
import { AlignedSource } from './alignedSource.js';
import type { RunResult } from './run.js';
import type { SwarmKnobs } from './arbitraries.js';

/**
 * Which faults a counterexample needed, precisely: a fault *mattered* when it struck in the
 * counterexample and, with every strike of it removed and everything else as it was, no
 * invariant the counterexample broke breaks (`why`'s "necessary", per fault rather than per
 * answer). One more simulation per fault that struck: affordable for one counterexample, too
 * costly for every failing run of a sweep (explore/marks.ts has the cheap bound for those).
 *
 * "Removed": a chance fault's answers set to 0 (the questions keep their other answers, matched
 * by subject: AlignedSource); a step deleted from the scenario; a replica's lag set to 0.
 */
export interface FaultInCounterexample {
  readonly struck: boolean;
  /** Struck, and needed: without it the counterexample's violations go away. */
  readonly mattered: boolean;
}

/** The choice kinds whose non-zero answers are each chance fault's strikes. */
const KINDS_OF: Readonly<Record<string, readonly ChoiceKind[]>> = {
  [MARK_DROP_REQUEST]: ['drop-request'],
  [MARK_DROP_REPLY]: ['drop-reply'],
  [MARK_DUPLICATE]: ['duplicate'],
  [MARK_RANDOM_PAUSE]: ['pause'],
  [MARK_RANDOM_CRASH]: ['crash'],
  [MARK_CLOCK_SKEW]: ['clock-offset', 'clock-drift'],
  [MARK_DECLINE]: ['decline'],
};

/**
 * A run under the swarm's knobs (the step ids it hits are those of the scenario *after* the
 * knobs removed steps): its marks with step ids of the original scenario.
 */
export function originalStepIds(struck: readonly string[], knobs: SwarmKnobs): string[] {
  const kept: number[] = [];
  knobs.steps.forEach((on, i) => {
    if (on !== false) kept.push(i);
  });
  const back = new Map(kept.map((orig, j) => [stepMark(j), stepMark(orig)]));
  return struck.map((id) => back.get(id) ?? id).sort();
}

export interface CounterexampleRuns {
  readonly scenario: Scenario;
  readonly knobs: SwarmKnobs;
  /** The counterexample's recorded choices and the answers it gives them. */
  readonly recorded: readonly Choice[];
  readonly values: readonly number[];
  /** The counterexample's run. */
  readonly run: RunResult;
  /** Runs `scenario` under `knobs` from `source`, `edit` applied to the swarmed scenario last. */
  readonly rerun: (knobs: SwarmKnobs, source: ChoiceSource, edit?: (s: Scenario) => void) => RunResult;
}

/** For each of `marks`: did it strike in the counterexample, and was it needed? */
export function faultsMattered(marks: readonly FaultMark[], ce: CounterexampleRuns): Map<string, FaultInCounterexample> {
  const struck = new Set(originalStepIds(ce.run.faultsStruck, ce.knobs));
  const target = new Set(ce.run.violations.map((v) => v.invariant));
  const stillBreaks = (r: RunResult) => r.violations.some((v) => target.has(v.invariant));
  const out = new Map<string, FaultInCounterexample>();
  for (const m of marks) {
    if (!struck.has(m.id)) {
      out.set(m.id, { struck: false, mattered: false });
      continue;
    }
    out.set(m.id, { struck: true, mattered: !stillBreaks(without(m, ce)) });
  }
  return out;
}

/** The counterexample again with every strike of `m` removed. */
function without(m: FaultMark, ce: CounterexampleRuns): RunResult {
  if (m.step !== null) {
    const steps = ce.knobs.steps.map((on, i) => on && i !== m.step);
    return ce.rerun({ ...ce.knobs, steps }, new AlignedSource(ce.recorded, ce.values));
  }
  if (m.id === MARK_REPLICA_LAG) {
    return ce.rerun(ce.knobs, new AlignedSource(ce.recorded, ce.values), (s) => {
      for (const r of s.topology.replicas) {
        r.lagMsMin = 0;
        r.lagMsMax = 0;
      }
    });
  }
  const kinds = KINDS_OF[m.id] ?? [];
  const values = ce.values.map((v, i) => (kinds.includes(ce.recorded[i].kind) ? 0 : v));
  return ce.rerun(ce.knobs, new AlignedSource(ce.recorded, values));
}
