import type { Choice } from '../../sim/choice.js';
import type { Subject } from '../../sim/subjects.js';
import type { FaultStepConfig } from '../../inventory/faultSteps.js';
import { describeStep } from '../../scenario/describeStep.js';
import { describeChoice, type ChoiceContext } from '../describeChoices.js';
import { TIMING_KINDS } from '../alignedSource.js';

/**
 * Everything in a failing run that could be "a fault": each surprising (non-zero) recorded
 * choice, and each fault step of the scenario. The minimisers remove them (a choice set to 0,
 * a step deleted; removal.ts) to see which ones the violation needs.
 */
export interface Fault {
  /** "choice 12" or "step 1": stable within one analysis. */
  readonly id: string;
  readonly source: 'choice' | 'step';
  /** Index in the run's list of questions, or in `faults.steps`. */
  readonly index: number;
  readonly kind: string;
  /** `fault`: something went wrong (lost, duplicated, paused, declined, skewed, a step);
   *  `timing`: an ordinary delay, lag or arrival above its minimum. */
  readonly category: 'fault' | 'timing';
  readonly value: number | null;
  /** Virtual time at which the question was asked (choices), or the step's start. */
  readonly timeMs: number | null;
  /** What a choice was about, as data (null for a step): what tools compare. */
  readonly subject: Subject | null;
  /** For people: the choice's label (derived from kind and subject; never parsed). */
  readonly label: string;
  /** One line a person reads, e.g. "drop-reply: db->app1 decrement reply rpc4 o1". */
  readonly text: string;
}

/** The faults of a run: its scenario's steps (in file order), then its non-zero choices (in question order). */
export function faultsOf(choices: readonly Choice[], steps: readonly FaultStepConfig[], ctx?: ChoiceContext): Fault[] {
  const out: Fault[] = steps.map((s, index) => ({
    id: `step ${index}`, source: 'step', index, kind: s.kind, category: 'fault', value: null,
    timeMs: 'atMs' in s ? s.atMs ?? null : null, subject: null, label: '', text: `step ${index}: ${describeStep(s)}`,
  }));
  for (const c of choices) {
    if (c.value === 0) continue;
    out.push({
      id: `choice ${c.index}`, source: 'choice', index: c.index, kind: c.kind,
      category: TIMING_KINDS.has(c.kind) ? 'timing' : 'fault', value: c.value, timeMs: c.timeMs, subject: c.subject, label: c.label,
      text: `${describeChoice(c, ctx)} (choice #${c.index}, at ${c.timeMs} ms)`,
    });
  }
  return out;
}
