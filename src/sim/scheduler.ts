/**
 * The scheduler seam: the kernel keeps the events that may fire next (the ready set, ready.ts)
 * and asks a scheduler which one. Without a scheduler (`null`) the kernel pops the earliest
 * event straight off its heap: today's runs at today's speed. A scheduler sees the ready set
 * in (earliest time, insertion) order, so index 0 is always what a calm run would do, and
 * returns the index of its pick. PCT (priorities per logical process, pct.ts) implements this too.
 */
import type { Choices } from './choice.js';
import type { QueuedEvent } from './queue.js';
import { eventSubjectOf } from './eventSubject.js';
import type { HasSubject, ScheduleSubject } from './subjects.js';
import { mapPacked } from './packed.js';

export interface Scheduler {
  /** e.g. "earliest", "random", "pct d=2": for reports. */
  readonly name: string;
  /**
   * Picks one of `ready` (never empty, sorted by (earliest, seq)); returns its index. `ready`
   * is only valid during the call. `eventSubjectOf(e)` says what each event is.
   */
  pick(ready: readonly QueuedEvent[], choices: Choices): number;
  /**
   * readyRule 'any' only (the scheduler owns time there): what `node`'s clock reads while the
   * event picked last fires, before its skew. Where more than one reading can matter, it asks
   * a `clock-read` choice through `choices` (the explorer: earliest or latest). Absent: the
   * kernel's clock.
   */
  clockMs?(node: HasSubject, choices: Choices): number;
}

/** Always the earliest ready event: the calm run, as a list of zeros would give. */
export const EARLIEST: Scheduler = {
  name: 'earliest',
  pick: () => 0,
};

/**
 * Asks the `schedule` stream which ready event fires: a seeded source answers uniformly over
 * the ready set (every interleaving real time allows is possible, none is favoured); a list
 * source answers from its list, 0 past its end (the earliest: shrinking walks toward the
 * calm run). The question's subject lists the candidates by identity, so a recorded schedule
 * says what was chosen among what, whatever the global counters were.
 */
export class ChoiceScheduler implements Scheduler {
  readonly name = 'choice';
  private readonly about = new ReadyAbout();

  pick(ready: readonly QueuedEvent[], choices: Choices): number {
    if (ready.length === 1) return 0;
    this.about.ready = ready;
    const k = choices.ask({ stream: 'schedule', kind: 'schedule', max: ready.length - 1, about: this.about });
    this.about.ready = NONE;
    return k;
  }
}

const NONE: readonly QueuedEvent[] = [];

/** The ready set as a question's subject, built only if the choice is recorded (the choice scheduler and PCT). */
export class ReadyAbout implements HasSubject {
  ready: readonly QueuedEvent[] = NONE;
  subject(): ScheduleSubject {
    return { type: 'schedule', candidates: mapPacked(this.ready, eventSubjectOf) };
  }
}
