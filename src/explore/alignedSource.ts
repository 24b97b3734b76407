import { subjectKey, subjectOf, type EventSubject } from '../sim/subjects.js';
import type { Choice, ChoiceKind, ChoiceSource, Question } from '../sim/choice.js';

/** Choice kinds that are timings rather than faults: changing them changes "when", not "what". */
export const TIMING_KINDS: ReadonlySet<string> = new Set<ChoiceKind>(['delay', 'replica-lag', 'payment-delay', 'arrival', 'replica', 'schedule']);

/**
 * Answers a changed run from a recording by meaning rather than by position: a question gets
 * the recorded answer of the same kind about the same subject (first unused, in order). With
 * nothing to match, a timing takes the next unused recorded timing of its kind (the run's
 * delays keep their order) and a fault answers 0. Subjects name messages by origin (process,
 * call, attempt, copy), so "o7's confirm reply" is found again even when the changed run
 * numbers its messages differently. Without this, removing one lost message shifts every
 * later answer onto another question and invents faults the recording never had.
 *
 * A schedule question is answered by following the recorded order of events: of the events
 * ready now, the one the recording picked earliest (and not yet fired here); none: the earliest.
 *
 * `values` are the answers to give (the recording's, with some set to 0 by whoever is
 * shrinking), index for index with `recorded`. Used by `why`, `export` and `check`'s polish.
 */
export class AlignedSource implements ChoiceSource {
  private readonly byKey = new Map<string, number[]>();
  private readonly byKind = new Map<string, number[]>();
  private readonly used: boolean[];
  /** Schedule: event key -> the position (recorded choice index) at which it was picked. */
  private readonly picked = new Map<string, number>();
  readonly description: string;

  constructor(private readonly recorded: readonly Choice[], private readonly values: readonly number[]) {
    this.description = `aligned (${recorded.length} choice${recorded.length === 1 ? '' : 's'})`;
    this.used = recorded.map(() => false);
    recorded.forEach((c, i) => {
      if (c.kind === 'schedule') {
        const cands = c.subject.type === 'schedule' ? c.subject.candidates : [];
        const chosen = cands[values[i] ?? 0] ?? cands[0];
        if (chosen !== undefined) {
          const k = eventKey(chosen);
          if (!this.picked.has(k)) this.picked.set(k, i);
        }
        return;
      }
      const key = `${c.kind}|${subjectKey(c.subject)}`;
      this.byKey.set(key, [...(this.byKey.get(key) ?? []), i]);
      this.byKind.set(c.kind, [...(this.byKind.get(c.kind) ?? []), i]);
    });
  }

  answer(q: Question): number {
    const subject = subjectOf(q.about);
    if (q.kind === 'schedule') {
      const cands = subject.type === 'schedule' ? subject.candidates : [];
      let best = 0;
      let bestAt = Infinity;
      cands.forEach((e, j) => {
        const at = this.picked.get(eventKey(e));
        if (at !== undefined && at < bestAt) {
          best = j;
          bestAt = at;
        }
      });
      if (bestAt !== Infinity) this.picked.delete(eventKey(cands[best]));
      return best;
    }
    const take = (list: number[] | undefined): number | undefined => {
      while (list && list.length > 0) {
        const i = list.shift()!;
        if (this.used[i]) continue;
        this.used[i] = true;
        return this.values[i];
      }
      return undefined;
    };
    const exact = take(this.byKey.get(`${q.kind}|${subjectKey(subject)}`));
    if (exact !== undefined) return exact;
    if (!TIMING_KINDS.has(q.kind)) return 0;
    return take(this.byKind.get(q.kind)) ?? 0;
  }
}

function eventKey(e: EventSubject): string {
  return `${e.kind}|${e.owner}|${subjectKey(e.subject)}`;
}
