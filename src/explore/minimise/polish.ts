import type { Choice, ChoiceKind, ChoiceSource } from '../../sim/choice.js';
import type { RunResult } from '../run.js';
import type { SwarmKnobs } from '../arbitraries.js';
import { FAULT_TOGGLE_NAMES, type FaultToggles } from '../../scenario/shape.js';
import { dropUnneeded } from './search.js';
import { faultsOf, type Fault } from './faults.js';
import { answersAsRecorded, answersKeeping } from './removal.js';

/** One run of the check's property under these knobs, answered by `source`; `record` keeps its choices. */
export type KnobsRun = (knobs: SwarmKnobs, source: ChoiceSource, record: boolean) => RunResult;

/**
 * `check`'s polish, after fast-check's shrinking: each remaining surprising answer is removed
 * if the run still fails without it (last first), then (with `swarm`) each fault kind that
 * never struck is switched off if the run still fails. Removals are by meaning (removal.ts),
 * so removing a lost request does not move the other faults onto other messages. Returns the
 * final knobs and the failing run under them, recorded in question order (the replay list).
 */
export function polishCounterexample(knobs: SwarmKnobs, recorded: readonly Choice[], swarm: boolean, runWith: KnobsRun): { knobs: SwarmKnobs; run: RunResult } {
  const fails = (k: SwarmKnobs, source: ChoiceSource) => runWith(k, source, false).violations.length > 0;
  const surprises = faultsOf(recorded, []);
  const kept = dropUnneeded(surprises, (subset) => fails(knobs, answersKeeping(recorded, surprises, subset)));
  if (!swarm) return { knobs, run: runWith(knobs, answersKeeping(recorded, surprises, kept), true) };
  const polished = polishToggles(knobs, kept, (k) => fails(k, answersKeeping(recorded, surprises, kept)));
  // Record once more under the final knobs: the replay list is that run's answers, in order.
  const again = runWith(polished, answersKeeping(recorded, surprises, kept), true).choices!;
  return { knobs: polished, run: runWith(polished, answersAsRecorded(again), true) };
}

/** The choice kinds each fault toggle governs. */
const TOGGLE_KINDS: Readonly<Record<keyof FaultToggles, readonly ChoiceKind[]>> = {
  dropRequest: ['drop-request'],
  dropReply: ['drop-reply'],
  duplicate: ['duplicate'],
  paymentFail: ['decline'],
  randomPauses: ['pause'],
  clockSkew: ['clock-offset', 'clock-drift'],
};

/**
 * Switches off each fault kind none of whose answers is left in the failing run (it was on
 * but never struck). Its questions are then no longer asked; every other question keeps its
 * answer (matched by subject). Kept only if the run still fails, so the counterexample lists
 * just the fault kinds that struck.
 */
function polishToggles(knobs: SwarmKnobs, kept: readonly Fault[], fails: (k: SwarmKnobs) => boolean): SwarmKnobs {
  let cur = knobs;
  for (const t of FAULT_TOGGLE_NAMES) {
    if (!cur.faults[t]) continue;
    const kinds: readonly string[] = TOGGLE_KINDS[t];
    if (kept.some((f) => kinds.includes(f.kind))) continue;
    const next: SwarmKnobs = { ...cur, faults: { ...cur.faults, [t]: false } };
    if (fails(next)) cur = next;
  }
  return cur;
}
