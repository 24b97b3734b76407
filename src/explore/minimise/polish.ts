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
 * never struck is switched off if the run still fails, and fault steps, orders and stock are
 * cut while it still fails (polishSize). Removals are by meaning (removal.ts),
 * so removing a lost request does not move the other faults onto other messages. Returns the
 * final knobs and the failing run under them, recorded in question order (the replay list).
 */
export function polishCounterexample(knobs: SwarmKnobs, recorded: readonly Choice[], swarm: boolean, runWith: KnobsRun): { knobs: SwarmKnobs; run: RunResult } {
  const fails = (k: SwarmKnobs, source: ChoiceSource) => runWith(k, source, false).violations.length > 0;
  const surprises = faultsOf(recorded, []);
  const kept = dropUnneeded(surprises, (subset) => fails(knobs, answersKeeping(recorded, surprises, subset)));
  const keptFails = (k: SwarmKnobs) => fails(k, answersKeeping(recorded, surprises, kept));
  // Swarm knobs were drawn by fast-check and are shrunk here too; orders the violation does
  // not need are left out whether or not the case was swarmed.
  const toggled = swarm ? polishToggles(knobs, kept, keptFails) : knobs;
  const sized = swarm ? polishSize(toggled, keptFails) : toggled;
  const polished = leaveOutOrders(sized, keptFails);
  if (!swarm && polished === knobs) return { knobs, run: runWith(knobs, answersKeeping(recorded, surprises, kept), true) };
  // Record once more under the final knobs: the replay list is that run's answers, in order.
  let again = runWith(polished, answersKeeping(recorded, surprises, kept), true).choices!;
  if (polished !== toggled) {
    // Fewer fault steps, orders or units: answers that mattered before may not any more.
    const left = faultsOf(again, []);
    const needed = dropUnneeded(left, (subset) => fails(polished, answersKeeping(again, left, subset)));
    again = runWith(polished, answersKeeping(again, left, needed), true).choices!;
  }
  return { knobs: polished, run: runWith(polished, answersAsRecorded(again), true) };
}

/**
 * The fewest fault steps, then orders, then the least stock per item, with which the run
 * still fails (the answers kept, matched by subject, so the orders kept keep theirs).
 * fast-check shrinks these knobs itself when it drew them; a seeded case (checkCaseArb) runs
 * the scenario as written, and is shrunk here instead.
 */
function polishSize(knobs: SwarmKnobs, fails: (k: SwarmKnobs) => boolean): SwarmKnobs {
  let cur = knobs;
  for (let i = 0; i < cur.steps.length; i++) {
    if (cur.steps[i] === false) continue;
    const next: SwarmKnobs = { ...cur, steps: cur.steps.map((x, j) => (j === i ? false : x)) };
    if (fails(next)) cur = next;
  }
  for (let n = Math.min(1, cur.orders); n < cur.orders; n++) {
    const next: SwarmKnobs = { ...cur, orders: n };
    if (fails(next)) {
      cur = next;
      break;
    }
  }
  for (let i = 0; i < cur.stock.length; i++) {
    for (let units = Math.min(1, cur.stock[i]); units < cur.stock[i]; units++) {
      const next: SwarmKnobs = { ...cur, stock: cur.stock.map((x, j) => (j === i ? units : x)) };
      if (fails(next)) {
        cur = next;
        break;
      }
    }
  }
  return cur;
}

/**
 * Leaves out each order the violation does not need, last first: an order stays out if the
 * run still fails without it. Orders keep their ids (and generated ones their arrival draws),
 * so every other order is the same order and keeps its answers. The orders are the ones the
 * failing run placed (its arrivals' subjects).
 */
function leaveOutOrders(knobs: SwarmKnobs, fails: (k: SwarmKnobs) => boolean): SwarmKnobs {
  const ids = Array.from({ length: knobs.orders }, (_, i) => `o${i + 1}`).filter((id) => !(knobs.leaveOut ?? []).includes(id));
  let cur = knobs;
  for (let i = ids.length - 1; i >= 0; i--) {
    const next: SwarmKnobs = { ...cur, leaveOut: [...(cur.leaveOut ?? []), ids[i]] };
    if (fails(next)) cur = next;
  }
  return cur;
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
