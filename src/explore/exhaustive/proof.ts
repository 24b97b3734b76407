/**
 * The proof statement: what `explore` covered and what it did not, as readable as a failure.
 * A proof is only claimed for an exhausted search, and only for the semantics and bounds
 * stated next to it.
 */
import { BOUND_WORDS, boundsText, type FaultBounds } from './bounds.js';
import { pauseWindow, type ExploreSearch } from './search.js';
import { DEFAULT_SEMANTICS, SEMANTICS_TEXTS } from './semantics.js';

/** The default semantics in words (semantics.ts has every one). */
export const SEMANTICS_TEXT = SEMANTICS_TEXTS[DEFAULT_SEMANTICS];

/** What the search did not cover, in words. */
export function notCovered(s: ExploreSearch): string[] {
  const out: string[] = [];
  for (const k of Object.keys(BOUND_WORDS) as (keyof FaultBounds)[]) {
    const n = s.bounds[k];
    out.push(n === 0 ? `${BOUND_WORDS[k][1]} (bound 0)` : `more than ${n} ${BOUND_WORDS[k][n === 1 ? 0 : 1]}`);
  }
  if (s.semantics === 'timed' && s.bounds.pauses > 0) {
    const w = pauseWindow(s.scenario);
    if (w.durationMsMax < s.scenario.limits.maxTimeMs) out.push(`process pauses shorter than ${w.durationMsMin} ms or longer than ${w.durationMsMax} ms (the scenario's randomPauses)`);
  }
  // Where random crashes are placed (docs/exploration.md, "Crashes"): what they leave out.
  out.push('crashes of the database, lock service, payment provider and replicas (only app servers crash at random; explicit crash steps run)');
  if (s.bounds.crashes > 0) {
    out.push('an app-server crash at any other point than a message\'s arrival (as its timer fires or an order arrives)');
    out.push('an app server that never restarts (each crashed one restarts, at any point after the crash)');
  }
  const skew = s.scenario.faults.clockSkew;
  if (skew.offsetMsMax > 0 || skew.driftPpmMax > 0) out.push('clock skew: every node\'s clock was exact');
  // A clock read is a choice between two classes (execution.ts clockMs; docs/exploration.md, "Clock readings").
  out.push('clock readings strictly between the earliest and the latest time the reading event\'s causal past allows (each reading is one of the two: enough for a strategy that decides by comparing readings with a threshold, not for one that needs a reading inside a band)');
  // What the independence relation assumes (docs/exploration.md, "Partial-order reduction"):
  // without it, two events of different nodes need not commute, and DPOR may skip an order.
  if (s.reduction) out.push('a strategy whose app servers share state other than through messages (the reduction assumes an event changes only what its own node holds: the events of different nodes commute)');
  out.push(`anything after ${s.scenario.limits.maxTimeMs} ms (the scenario's time limit)`);
  if (s.cut > 0) out.push(`${s.cut} execution${s.cut === 1 ? '' : 's'} cut by the event limit (${s.scenario.limits.maxEvents} events)`);
  return out;
}

export interface ProofJson {
  readonly scenario: string;
  readonly strategy: string;
  readonly semantics: { readonly name: string; readonly text: string };
  readonly bounds: FaultBounds;
  readonly reduction: string;
  readonly executions: number;
  /** Timed semantics: executions with no real-time counterpart (not judged). */
  readonly unrealizable: number;
  readonly blocked: number;
  readonly finalStates: number;
  readonly exhausted: boolean;
  readonly bounded: boolean;
  readonly boundedBy: string | null;
  readonly estimate: number;
  readonly cutByEventLimit: number;
  readonly reachedTimeLimit: number;
  readonly notCovered: readonly string[];
  readonly statement: string;
}

export function algorithmName(reduction: boolean): string {
  return reduction ? 'DPOR with sleep sets' : 'none (--no-reduction)';
}

/** The statement in words (what `explore` prints under its verdict). */
export function proofStatement(s: ExploreSearch): string {
  const what = `every schedule of ${s.scenario.name} (strategy ${s.strategy}) under the ${s.semantics} semantics, with ${boundsText(s.bounds)}`;
  const counts = `${s.executions} execution${s.executions === 1 ? '' : 's'}, ${s.blocked} blocked by sleep sets (reduction: ${algorithmName(s.reduction)}), ${s.finalStates.length} distinct final state${s.finalStates.length === 1 ? '' : 's'}`;
  if (s.found !== null) return `${what}: NOT every one holds; ${counts} explored before the first violation.`;
  if (s.exhausted) return `${what}, holds every invariant: ${counts}, exhausted.`;
  const why = s.boundedBy === 'budget' ? 'the execution budget ran out' : s.boundedBy === 'interrupted' ? 'the search was interrupted' : `${s.cut} execution${s.cut === 1 ? ' was' : 's were'} cut by the event limit`;
  return `NOT a proof: ${why}. ${counts} explored without a violation, of about ${s.estimate} (Knuth's estimate), for ${what}.`;
}

export function proofJson(s: ExploreSearch): ProofJson {
  return {
    scenario: s.scenario.name,
    strategy: s.strategy,
    semantics: { name: s.semantics, text: SEMANTICS_TEXTS[s.semantics] },
    bounds: s.bounds,
    reduction: algorithmName(s.reduction),
    executions: s.executions,
    unrealizable: s.unrealizable,
    blocked: s.blocked,
    finalStates: s.finalStates.length,
    exhausted: s.exhausted,
    bounded: !s.exhausted,
    boundedBy: s.boundedBy,
    estimate: s.estimate,
    cutByEventLimit: s.cut,
    reachedTimeLimit: s.horizon,
    notCovered: notCovered(s),
    statement: proofStatement(s),
  };
}
