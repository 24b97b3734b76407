/**
 * A violation found under the explorer's untimed semantics is replayed under the concrete
 * windowed model (every event inside its window, time never going back): the schedule keeps
 * the explored order of dependent events, earliest deadline first among the rest
 * (FollowScheduler), and the faults strike the same messages. If the invariant breaks there too, the violation is **confirmed** and that
 * windowed run is the replay file (shrunk to the fewest non-default answers); if not, it
 * **needs a timing the windows forbid** (or one the windowed model, which fires each event as
 * early as the order allows, does not produce: docs/exploration.md).
 */
import type { Strategy } from '../../inventory/strategy.js';
import type { Scenario } from '../../scenario/schema.js';
import type { Choice, Choices, ChoiceSource, Question } from '../../sim/choice.js';
import type { QueuedEvent } from '../../sim/queue.js';
import { ReadyAbout, type Scheduler } from '../../sim/scheduler.js';
import { eventSubjectOf } from '../../sim/eventSubject.js';
import { dependent } from './path.js';
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

/** The faults of an explored execution, struck on the same messages (by subject) in the windowed run. */
class FollowSource implements ChoiceSource {
  readonly description = 'explored schedule';
  private readonly struck = new Map<string, number[]>();

  constructor(found: FoundExecution) {
    for (const [k, v] of found.struck) this.struck.set(k, [...v]);
  }

  answer(q: Question): number {
    if (q.kind === 'reorder') return 1;
    const list = this.struck.get(`${q.kind}|${subjectKey(subjectOf(q.about))}`);
    return list !== undefined && list.length > 0 ? list.shift()! : 0;
  }
}

/**
 * The explored order of events under the windowed model. What the explored execution fixes is
 * the order of *dependent* events (path.ts: they touch a common node); independent ones
 * commute, so any interleaving of them is the same execution. So: an event may fire when every
 * explored event before it that it depends on has fired, and among those the one whose window
 * closes first fires (earliest deadline first: a tick that must come at 1000 ms goes before a
 * payment that may take until 3000 ms, where following the explored order literally would fire
 * the payment first and push a dependent message past its window). An event the explored
 * execution did not fire (an answered rpc's timer) fires only when nothing else may; when
 * nothing may, the explored order decides as before. Every pick is recorded as an ordinary
 * `schedule` answer, so the run replays with the choice scheduler.
 */
class FollowScheduler implements Scheduler {
  readonly name = 'explored order';
  private readonly about = new ReadyAbout();
  private readonly positions = new Map<string, number[]>();
  private readonly fired: boolean[];

  constructor(private readonly found: FoundExecution) {
    this.fired = found.events.map(() => false);
    found.events.forEach((key, i) => {
      const base = key.replace(/#\d+$/, '');
      const list = this.positions.get(base);
      if (list === undefined) this.positions.set(base, [i]);
      else list.push(i);
    });
  }

  pick(ready: readonly QueuedEvent[], choices: Choices): number {
    const at = ready.map((e) => this.positions.get(baseKey(e))?.[0]);
    let pick = -1;
    for (let j = 0; j < ready.length; j++) {
      const p = at[j];
      if (p === undefined || !this.mayFire(p)) continue;
      if (pick < 0 || ready[j].latestMs < ready[pick].latestMs) pick = j;
    }
    if (pick < 0) pick = at.findIndex((p) => p === undefined);
    if (pick < 0) {
      pick = 0;
      for (let j = 1; j < ready.length; j++) if (at[j]! < at[pick]!) pick = j;
    }
    const p = at[pick];
    if (p !== undefined) {
      this.fired[p] = true;
      this.positions.get(baseKey(ready[pick]))!.shift();
    }
    if (ready.length > 1) {
      this.about.ready = ready;
      choices.decided({ stream: 'schedule', kind: 'schedule', max: ready.length - 1, about: this.about }, pick);
      this.about.ready = [];
    }
    return pick;
  }

  /** Every explored event before position `p` that it depends on has fired. */
  private mayFire(p: number): boolean {
    const touches = this.found.touches[p];
    for (let i = 0; i < p; i++) if (!this.fired[i] && dependent(this.found.touches[i], touches)) return false;
    return true;
  }
}

function baseKey(e: QueuedEvent): string {
  const s = eventSubjectOf(e);
  return `${s.kind}|${s.owner}|${subjectKey(s.subject)}`;
}

export function confirmExecution(explored: Scenario, strategy: Strategy, found: FoundExecution, options?: Readonly<Record<string, number | string | boolean>>): Confirmation {
  const invariants = new Set(found.violations.map((v) => v.invariant));
  const breaks = (r: RunResult): boolean => r.violations.some((v) => invariants.has(v.invariant));
  const run = (source: ChoiceSource): RunResult => runOnce(explored, { strategy, source, options, recordChoices: true, timing: 'windowed', scheduler: 'choice' });
  const first = runOnce(explored, { strategy, source: new FollowSource(found), options, recordChoices: true, timing: 'windowed', scheduler: new FollowScheduler(found) });
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
