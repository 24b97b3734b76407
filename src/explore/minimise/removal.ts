import type { Choice } from '../../sim/choice.js';
import { ListSource } from '../../sim/sources.js';
import type { Strategy } from '../../inventory/strategy.js';
import { runOnce, type RunResult, type RunnableScenario } from '../run.js';
import { AlignedSource } from '../alignedSource.js';
import type { Fault } from './faults.js';

/** A failing run as a replay file holds it: scenario, strategy, recorded answers. */
export interface FailingRun {
  readonly scenario: RunnableScenario;
  readonly strategy: Strategy;
  /** The recorded answers (a replay file's `answers`). */
  readonly answers: readonly number[];
  readonly instantDb?: boolean;
}

/** The failing run again from its answers, keeping its trace and choices: what `why` and `export` start from. */
export function recordedRun(f: FailingRun): RunResult {
  return runOnce(f.scenario, { strategy: f.strategy, source: new ListSource(f.answers, 'recorded'), instantDb: f.instantDb, keepTrace: true, recordChoices: true });
}

/**
 * The answers of a recorded run with only `kept` of its `removable` faults: every other
 * removable choice answers 0, every other question what it answered in the recording. Matched
 * by meaning, not position (AlignedSource): a question gets the answer recorded for the same
 * kind and subject, so removing a lost request does not move the other faults onto other
 * messages when the changed run asks its questions in another order.
 */
export function answersKeeping(recorded: readonly Choice[], removable: readonly Fault[], kept: readonly Fault[]): AlignedSource {
  const keep = new Set(kept);
  const values = recorded.map((c) => c.value);
  for (const f of removable) if (f.source === 'choice' && !keep.has(f)) values[f.index] = 0;
  return new AlignedSource(recorded, values);
}

/** A scenario's fault steps with only `kept` of the `removable` ones (the others are deleted). */
export function stepsKeeping<S>(steps: readonly S[], removable: readonly Fault[], kept: readonly Fault[]): S[] {
  const isStep = (f: Fault, i: number) => f.source === 'step' && f.index === i;
  return steps.filter((_, i) => !removable.some((f) => isStep(f, i)) || kept.some((f) => isStep(f, i)));
}

/** The recorded run's answers as recorded, by subject (after a change that asks other questions). */
export function answersAsRecorded(recorded: readonly Choice[]): AlignedSource {
  return answersKeeping(recorded, [], []);
}
