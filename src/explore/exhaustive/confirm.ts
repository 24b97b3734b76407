/**
 * A violation found under the explorer's untimed semantics is replayed under concrete time
 * (every event inside its window, timers exactly their length, time never going back), the
 * faults striking the same messages (by subject). If the invariant breaks there too, the
 * violation is **confirmed** and that concrete run is the replay file (shrunk to the fewest
 * non-default answers); if no timing tried breaks it, it **needs a timing the windows forbid**
 * (or one none of the tried timings produced: docs/exploration.md).
 *
 * One concrete timing is not enough. The windowed model fires every event as early as the
 * order allows, so a race that needs one process slow throughout (a lease running out while
 * its holder's messages crawl) never shows there unless some fixed-time event happens to
 * push time forward. So the confirmation tries, in this order, and stops at the first that
 * breaks the same invariant:
 *
 * 1. the windowed model following the explored order of events (each event as early as it may);
 * 2. the same with every struck pause at its longest (the explorer's pause is "ends after any
 *    later event": a concrete pause needs a length);
 * 3. concrete delays (the sampled model, each delay a value inside its window): every subset
 *    of the processes seen (orders, recoveries, replicas) at their longest delays and the
 *    others at their shortest, pauses at their shortest and longest;
 * 4. seeded random delays inside the windows, then seeded random windowed schedules.
 *
 * Every attempt is an ordinary run of the simulator under real windows with the explored
 * faults and nothing else: a confirmed run is a real execution that breaks the invariant, and
 * its recorded answers replay it exactly. It need not be the explored order itself; what is
 * confirmed is "a real timing breaks this invariant with these faults". All attempts are
 * deterministic (fixed order, fixed seeds), so a confirmation is a pure function of the find.
 */
import type { Strategy } from '../../inventory/strategy.js';
import type { Scenario } from '../../scenario/schema.js';
import type { Choice, ChoiceKind, ChoiceSource, Question } from '../../sim/choice.js';
import { SeededSource } from '../../sim/sources.js';
import { subjectKey, subjectOf, type Subject } from '../../sim/subjects.js';
import { answersAsRecorded, answersKeeping, dropUnneeded, faultsOf } from '../minimise/index.js';
import { runOnce, type RunResult } from '../run.js';
import type { TimingModel } from '../../sim/kernel.js';
import type { FoundExecution } from './search.js';
import { solveTimes, SolvedTimingSource } from './confirmTiming.js';

export interface Confirmation {
  readonly confirmed: boolean;
  /** The concrete run: shrunk when confirmed, else the first attempt (the explored order, windowed). */
  readonly run: RunResult;
  /** The scenario `run` ran (the explored one, in the timing model of the attempt that confirmed). */
  readonly scenario: Scenario;
  /** The answers of `run` that were not 0 (what the replay's schedule, delays and faults are). */
  readonly nonDefault: readonly Choice[];
  /** Concrete runs tried before one broke the invariant (or all of them, unconfirmed). */
  readonly attempts: number;
}

/** Seeded random attempts of each kind (4. above). */
const RANDOM_ATTEMPTS = 100;
/** Processes beyond this many are not enumerated as subsets (2^n runs); random attempts remain. */
const ACTORS_MAX = 6;
/** Delay questions: which value inside the window the message, charge or log entry takes. */
const DELAY_KINDS: ReadonlySet<ChoiceKind> = new Set<ChoiceKind>(['delay', 'payment-delay', 'replica-lag', 'arrival']);

/** The explored faults, by subject: each answered as explored, in order (a pause's length aside). */
class StruckFaults {
  private readonly struck = new Map<string, number[]>();

  constructor(found: FoundExecution) {
    for (const [k, v] of found.struck) this.struck.set(k, [...v]);
  }

  answer(q: Question, subject: Subject, pauseLong: boolean): number {
    if (q.kind === 'reorder') return 1;
    const list = this.struck.get(`${q.kind}|${subjectKey(subject)}`);
    if (list === undefined || list.length === 0) return 0;
    const v = list.shift()!;
    return q.kind === 'pause' && pauseLong ? q.max : v;
  }
}

/** Follows an explored execution under the windowed model (1. and 2. above). */
class FollowSource implements ChoiceSource {
  readonly description = 'explored schedule';
  private readonly positions = new Map<string, number[]>();
  private readonly faults: StruckFaults;

  constructor(found: FoundExecution, private readonly pauseLong: boolean) {
    found.events.forEach((key, i) => {
      const base = key.replace(/#\d+$/, '');
      const list = this.positions.get(base);
      if (list === undefined) this.positions.set(base, [i]);
      else list.push(i);
    });
    this.faults = new StruckFaults(found);
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
    return this.faults.answer(q, subject, this.pauseLong);
  }
}

/** Whose timing a delay question is about: the process that sent the message, or the replica. */
function actorOf(s: Subject): string {
  if (s.type === 'message' || s.type === 'call' || s.type === 'process') return s.process;
  if (s.type === 'log-entry') return s.replica;
  if (s.type === 'order') return s.order;
  return '';
}

/**
 * Concrete delays (3. and 4. above): the explored faults, and each delay at its window's end
 * for the slow processes and its start for the others, or seeded uniform inside the window.
 * Schedule questions (windowed attempts) are answered by the seed too.
 */
class TimingSource implements ChoiceSource {
  readonly description: string;
  private readonly faults: StruckFaults;
  private readonly random: SeededSource | null;
  /** Every process a delay question was about, in first-seen order. */
  readonly actors: string[] = [];

  constructor(found: FoundExecution, private readonly slow: ReadonlySet<string>, private readonly pauseLong: boolean, seed: number | null) {
    this.faults = new StruckFaults(found);
    this.random = seed === null ? null : new SeededSource(seed);
    this.description = seed === null ? `slow: ${[...slow].join(', ') || 'none'}` : `seeded timing ${seed}`;
  }

  answer(q: Question): number {
    const subject = subjectOf(q.about);
    if (q.kind === 'schedule') return this.random === null ? 0 : this.random.answer(q);
    if (DELAY_KINDS.has(q.kind)) {
      const actor = actorOf(subject);
      if (!this.actors.includes(actor)) this.actors.push(actor);
      if (this.random !== null) return this.random.answer({ ...q, perMille: undefined });
      return this.slow.has(actor) ? q.max : 0;
    }
    if (q.kind === 'pause' && this.random !== null) {
      const v = this.faults.answer(q, subject, false);
      return v === 0 ? 0 : 1 + this.random.answer({ ...q, max: q.max - 1, perMille: undefined });
    }
    return this.faults.answer(q, subject, this.pauseLong);
  }
}

interface Attempt {
  readonly timing: TimingModel;
  readonly source: () => ChoiceSource;
}

/** Every subset of `actors`, smallest first (ties in first-seen order). */
function subsets(actors: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let mask = 0; mask < 1 << actors.length; mask++) out.push(actors.filter((_, i) => (mask & (1 << i)) !== 0));
  return out.sort((a, b) => a.length - b.length);
}

/** The attempts in order (see the file comment); the actors come from the first concrete-delay run. */
function* attempts(explored: Scenario, found: FoundExecution, actorsSeen: () => readonly string[]): Generator<Attempt> {
  const paused = [...found.struck.keys()].some((k) => k.startsWith('pause|'));
  yield { timing: 'windowed', source: () => new FollowSource(found, false) };
  if (paused) yield { timing: 'windowed', source: () => new FollowSource(found, true) };
  for (const gapMs of [1, 0]) {
    const times = solveTimes(found, explored.faults.randomPauses.durationMsMax, explored.limits.maxTimeMs, gapMs);
    if (times !== null) yield { timing: 'sampled', source: () => new SolvedTimingSource(found, times) };
  }
  yield { timing: 'sampled', source: () => new TimingSource(found, new Set(), false, null) };
  const actors = actorsSeen().slice(0, ACTORS_MAX);
  for (const slow of subsets(actors)) {
    for (const pauseLong of paused ? [false, true] : [false]) {
      if (slow.length === 0 && !pauseLong) continue;
      yield { timing: 'sampled', source: () => new TimingSource(found, new Set(slow), pauseLong, null) };
    }
  }
  for (let seed = 1; seed <= RANDOM_ATTEMPTS; seed++) yield { timing: 'sampled', source: () => new TimingSource(found, new Set(), false, seed) };
  for (let seed = 1; seed <= RANDOM_ATTEMPTS; seed++) yield { timing: 'windowed', source: () => new TimingSource(found, new Set(), false, seed) };
}

export function confirmExecution(explored: Scenario, strategy: Strategy, found: FoundExecution, options?: Readonly<Record<string, number | string | boolean>>): Confirmation {
  const invariants = new Set(found.violations.map((v) => v.invariant));
  const breaks = (r: RunResult): boolean => r.violations.some((v) => invariants.has(v.invariant));
  const runIn = (timing: TimingModel, source: ChoiceSource): RunResult =>
    runOnce(explored, { strategy, source, options, recordChoices: true, timing, scheduler: timing === 'windowed' ? 'choice' : undefined });
  let first: RunResult | null = null;
  let actors: readonly string[] = [];
  let tried = 0;
  let hit: { run: RunResult; timing: TimingModel } | null = null;
  for (const a of attempts(explored, found, () => actors)) {
    const source = a.source();
    const r = runIn(a.timing, source);
    tried++;
    first ??= r;
    if (source instanceof TimingSource && actors.length === 0) actors = source.actors.filter((x) => x !== '');
    if (breaks(r)) {
      hit = { run: r, timing: a.timing };
      break;
    }
  }
  if (hit === null) return { confirmed: false, run: first!, scenario: explored, nonDefault: first!.choices!.filter((c) => c.value !== 0), attempts: tried };
  // Shrink with the one minimiser (explore/minimise): each surprising answer removed if the
  // invariant still breaks without it, by meaning (the others stay on their questions).
  const timing = hit.timing;
  const run = (source: ChoiceSource): RunResult => runIn(timing, source);
  const recorded = hit.run.choices!;
  const surprises = faultsOf(recorded, []);
  const kept = dropUnneeded(surprises, (subset) => breaks(run(answersKeeping(recorded, surprises, subset))));
  const again = run(answersKeeping(recorded, surprises, kept)).choices!;
  const final = run(answersAsRecorded(again));
  return { confirmed: true, run: final, scenario: { ...explored, timing }, nonDefault: final.choices!.filter((c) => c.value !== 0), attempts: tried };
}
