/**
 * Every nondeterministic decision of the simulation is a *choice*: a question with a kind, a
 * range [0, max] and (for seeded runs) a likelihood of being non-zero. One interface answers
 * them all, so that a seeded sweep, a replay file, a fast-check property and an exhaustive
 * explorer all drive the same simulation (DESIGN.md, "Every nondeterministic decision is a
 * choice").
 *
 * Encoding rule: 0 is always the unsurprising outcome (shortest delay, delivered, no pause,
 * payment succeeds, the earliest event next). A list-driven source that runs out answers 0,
 * and shrinking a list toward 0 removes chaos, so a shrunk counterexample shows only the
 * faults that matter.
 *
 * Every choice has an identity: its kind (a closed union) and its subject (what it is about,
 * as data: subjects.ts). Its label is derived from the two by one function (labels.ts).
 */
import { subjectOf, type About, type Subject } from './subjects.js';
import { labelOf } from './labels.js';

/** The purpose a choice serves; seeded sources draw each stream from its own generator. */
export type Stream = 'network' | 'faults' | 'workload' | 'payment' | 'schedule';
export const STREAMS: readonly Stream[] = ['network', 'faults', 'workload', 'payment', 'schedule'];

/** What is being decided. A closed union: tools switch on it, and every kind has a label. */
export type ChoiceKind =
  /** How long a message takes over its link's minimum (sampled timing). */
  | 'delay'
  | 'drop-request'
  | 'drop-reply'
  | 'duplicate'
  /** Whether a message may overtake earlier ones on a FIFO-ish link. */
  | 'reorder'
  /** How long a node pauses when a reply reaches it (0: no pause). */
  | 'pause'
  /** Whether a node crashes as a message reaches it (0: no crash); sampled timing: when it restarts. */
  | 'crash'
  /** How long a replica takes over its minimum lag to apply a log entry (sampled timing). */
  | 'replica-lag'
  /** How long the payment provider takes over its minimum (sampled timing). */
  | 'payment-delay'
  | 'decline'
  /** When a generated order arrives (sampled timing). */
  | 'arrival'
  | 'clock-offset'
  | 'clock-drift'
  /** Which replica serves a read. */
  | 'replica'
  /**
   * explore only: what a node's clock reads, as a class of the times the reading event's causal
   * past allows (0: the earliest, 1: the latest; execution.ts clockMs).
   */
  | 'clock-read'
  /** Which of the events that may fire next fires (0: the earliest, as a calm run). */
  | 'schedule';

export const CHOICE_KINDS: readonly ChoiceKind[] = [
  'delay', 'drop-request', 'drop-reply', 'duplicate', 'reorder', 'pause', 'crash', 'replica-lag', 'payment-delay', 'decline',
  'arrival', 'clock-offset', 'clock-drift', 'replica', 'clock-read', 'schedule',
];

export interface Question {
  readonly stream: Stream;
  readonly kind: ChoiceKind;
  /** Largest answer (inclusive). Questions with max 0 are never asked. */
  readonly max: number;
  /**
   * Seeded sources only: chance in 1/1000 that the answer is non-zero. When absent the answer
   * is uniform over [0, max]. List sources ignore it: they answer what the list says.
   */
  readonly perMille?: number;
  /**
   * What the question is about: a subject, or something that makes one (the message a delay is
   * for). Turned into a subject only when choices are recorded: sweeps build none.
   */
  readonly about?: About;
}

/**
 * Decodes a signed quantity from an answer so that small answers are small magnitudes and 0
 * is none: 0, 1, 2, 3, 4 -> 0, 1, -1, 2, -2 (clock offsets and drifts). Never -0: a -0 stored
 * in a field that otherwise holds small integers turns that field into a double, and V8 then
 * throws away the optimised code of everything that reads it (measured: 1 in 4 runs of
 * flash-sale-chaos did that, and every thread compiled the kernel again).
 */
export function zigzag(answer: number): number {
  return answer % 2 === 1 ? (answer + 1) / 2 : answer === 0 ? 0 : -(answer / 2);
}

export interface ChoiceSource {
  /**
   * Returns an integer in [0, q.max]. `q` is only valid during the call (the kernel reuses
   * one question object for its yes/no and range questions): copy what you want to keep.
   */
  answer(q: Question): number;
  /** Short description for reports, e.g. "seed 7" or "recorded (42 choices)". */
  readonly description: string;
}

/** One answered question, as kept by a recording. */
export interface Choice {
  /** Position in the run's list of questions (what a replay file's `answers` index). */
  readonly index: number;
  readonly timeMs: number;
  /** How many trace events came before it: where in this run's trace it was asked (for linking, not identity). */
  readonly traceIndex: number;
  readonly stream: Stream;
  readonly kind: ChoiceKind;
  readonly max: number;
  readonly value: number;
  readonly subject: Subject;
  /** For people: labelOf(kind, subject). Tools read `kind` and `subject`, never this. */
  readonly label: string;
}

/**
 * The question a source is handed (rewritten for every ask): a class, not a literal, as it lives
 * as long as its world, and V8's defaults pretenure a run-long literal (src/sim/untracked.ts).
 */
class ScratchQuestion implements Question {
  stream: Stream = 'network';
  kind: ChoiceKind = 'delay';
  max = 0;
  perMille: number | undefined = undefined;
  about: About | undefined = undefined;
}

/**
 * The kernel's single entry point for fate. Wraps a source, clamps its answers, skips
 * questions that cannot have a surprising answer (max 0 or perMille 0) and optionally records.
 */
export class Choices {
  recorded: Choice[] | null;
  private count = 0;
  private readonly question = new ScratchQuestion();

  constructor(
    public source: ChoiceSource,
    private readonly now: () => number,
    record: boolean,
    /** The number of trace events so far (a recorded choice's traceIndex). */
    private readonly tracePosition: () => number = () => 0,
  ) {
    this.recorded = record ? [] : null;
  }

  /** A world reset: the next run's source, nothing asked yet, a new recording (the last run's result keeps its own). */
  reset(source: ChoiceSource): void {
    this.source = source;
    this.count = 0;
    if (this.recorded !== null) this.recorded = [];
    // The scratch question: the last run's subject must not outlive it here.
    const q = this.question;
    q.stream = 'network';
    q.kind = 'delay';
    q.max = 0;
    q.perMille = undefined;
    q.about = undefined;
  }

  /** Number of questions asked so far (the length of the recording). */
  get asked(): number {
    return this.count;
  }

  ask(q: Question): number {
    if (q.max <= 0 || q.perMille === 0) return 0;
    let v = this.source.answer(q);
    // Clamp rather than trust: a list source may hold values recorded against another range.
    if (!(v >= 0)) v = 0;
    else if (v > q.max) v = v % (q.max + 1);
    v = Math.floor(v);
    return this.counted(q, v);
  }

  /**
   * An answer its asker decided itself (a PCT scheduler's pick): counted and recorded exactly
   * as if the source had given it, so a list source with the recorded answers replays the run
   * (the ChoiceScheduler asks the same `schedule` question at the same point and gets it back).
   * The source is not consulted.
   */
  decided(q: Question, value: number): number {
    if (q.max <= 0) return 0;
    if (!(Number.isInteger(value) && value >= 0 && value <= q.max)) throw new RangeError(`Choices.decided: ${q.kind} answer ${value} is not in [0, ${q.max}]`);
    return this.counted(q, value);
  }

  private counted(q: Question, v: number): number {
    const index = this.count++;
    if (this.recorded !== null) {
      const subject = subjectOf(q.about);
      this.recorded.push({ index, timeMs: this.now(), traceIndex: this.tracePosition(), stream: q.stream, kind: q.kind, max: q.max, value: v, subject, label: labelOf(q.kind, subject) });
    }
    return v;
  }

  /** A yes/no fault with the given chance; 1 means the fault happens. */
  chance(stream: Stream, kind: ChoiceKind, perMille: number, about?: About): boolean {
    if (perMille <= 0) return false;
    return this.ask(this.scratch(stream, kind, 1, perMille, about)) === 1;
  }

  /**
   * A fault that strikes with the given chance and then has a size in [1, max] (a random
   * pause's length, a crash's downtime); 0: it does not strike. ask() with that question,
   * through the scratch question rather than a literal per delivery.
   */
  sized(stream: Stream, kind: ChoiceKind, max: number, perMille: number, about?: About): number {
    return this.ask(this.scratch(stream, kind, max, perMille, about));
  }

  /** An integer in [min, max]; min is the unsurprising answer. */
  between(stream: Stream, kind: ChoiceKind, min: number, max: number, about?: About): number {
    return min + this.ask(this.scratch(stream, kind, max - min, undefined, about));
  }

  /**
   * The one question object chance() and between() fill in and pass on: every message asks
   * two or three questions, and a fresh object each was a measurable share of a sweep's
   * garbage. Sources only read it during answer() (see ChoiceSource).
   */
  private scratch(stream: Stream, kind: ChoiceKind, max: number, perMille: number | undefined, about: About | undefined): Question {
    const q = this.question;
    q.stream = stream;
    q.kind = kind;
    q.max = max;
    q.perMille = perMille;
    q.about = about;
    return q;
  }
}
