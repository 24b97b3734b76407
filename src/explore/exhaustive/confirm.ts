/**
 * A violation found under the explorer's untimed semantics is replayed under the concrete
 * windowed model (every event inside its window, time never going back): the schedule
 * follows the explored order of events wherever the windows allow, the faults strike the
 * same messages. If the invariant breaks there too, the violation is **confirmed** and that
 * windowed run is the replay file (shrunk to the fewest non-default answers); if not, it
 * **needs a timing the windows forbid** (or one the windowed model, which fires each event as
 * early as the order allows, does not produce: docs/exploration.md).
 */
import type { Strategy } from '../../inventory/strategy.js';
import type { Scenario } from '../../scenario/schema.js';
import type { Choice, ChoiceSource, Question } from '../../sim/choice.js';
import { subjectKey, subjectOf } from '../../sim/subjects.js';
import { answersAsRecorded, answersKeeping, dropUnneeded, faultsOf } from '../minimise/index.js';
import { runOnce, type RunResult } from '../run.js';
import type { FoundExecution } from './search.js';

export interface Confirmation {
  readonly confirmed: boolean;
  /** The windowed run: shrunk when confirmed, else the closest the windows allowed. */
  readonly run: RunResult;
  /** The answers of `run` that were not 0 (what the replay's schedule and faults are). */
  readonly nonDefault: readonly Choice[];
}

/** Follows an explored execution under the windowed model (see the file comment). */
class FollowSource implements ChoiceSource {
  readonly description = 'explored schedule';
  private readonly positions = new Map<string, number[]>();
  private readonly struck = new Map<string, number[]>();

  constructor(found: FoundExecution) {
    found.events.forEach((key, i) => {
      const base = key.replace(/#\d+$/, '');
      const list = this.positions.get(base);
      if (list === undefined) this.positions.set(base, [i]);
      else list.push(i);
    });
    for (const [k, v] of found.struck) this.struck.set(k, [...v]);
  }

  answer(q: Question): number {
    const subject = subjectOf(q.about);
    if (q.kind === 'schedule') {
      const cands = subject.type === 'schedule' ? subject.candidates : [];
      let best = 0;
      let bestAt = Infinity;
      cands.forEach((e, j) => {
        const at = this.positions.get(`${e.kind}|${e.owner}|${subjectKey(e.subject)}`)?.[0];
        if (at !== undefined && at < bestAt) {
          best = j;
          bestAt = at;
        }
      });
      if (bestAt !== Infinity) {
        const e = cands[best];
        this.positions.get(`${e.kind}|${e.owner}|${subjectKey(e.subject)}`)!.shift();
      }
      return best;
    }
    if (q.kind === 'reorder') return 1;
    const list = this.struck.get(`${q.kind}|${subjectKey(subject)}`);
    return list !== undefined && list.length > 0 ? list.shift()! : 0;
  }
}

export function confirmExecution(explored: Scenario, strategy: Strategy, found: FoundExecution, options?: Readonly<Record<string, number | string | boolean>>): Confirmation {
  const invariants = new Set(found.violations.map((v) => v.invariant));
  const breaks = (r: RunResult): boolean => r.violations.some((v) => invariants.has(v.invariant));
  const run = (source: ChoiceSource): RunResult => runOnce(explored, { strategy, source, options, recordChoices: true, timing: 'windowed', scheduler: 'choice' });
  const first = run(new FollowSource(found));
  if (!breaks(first)) return { confirmed: false, run: first, nonDefault: first.choices!.filter((c) => c.value !== 0) };
  // Shrink with the one minimiser (explore/minimise): each surprising answer removed if the
  // invariant still breaks without it, by meaning (the others stay on their questions).
  const recorded = first.choices!;
  const surprises = faultsOf(recorded, []);
  const kept = dropUnneeded(surprises, (subset) => breaks(run(answersKeeping(recorded, surprises, subset))));
  const again = run(answersKeeping(recorded, surprises, kept)).choices!;
  const final = run(answersAsRecorded(again));
  return { confirmed: true, run: final, nonDefault: final.choices!.filter((c) => c.value !== 0) };
}
