/**
 * Every nondeterministic decision of the simulation is a *choice*: a question with a kind, a
 * range [0, max] and (for seeded runs) a likelihood of being non-zero. One interface answers
 * them all, so that a seeded sweep, a replay file, a fast-check property and an exhaustive
 * explorer all drive the same simulation (DESIGN.md, "Every nondeterministic decision is a
 * choice").
 *
 * Encoding rule: 0 is always the unsurprising outcome (shortest delay, delivered, no pause,
 * payment succeeds). A list-driven source that runs out answers 0, and shrinking a list toward
 * 0 removes chaos, so a shrunk counterexample shows only the faults that matter.
 */

/** The purpose a choice serves; seeded sources draw each stream from its own generator. */
export type Stream = 'network' | 'faults' | 'workload' | 'payment' | 'schedule';
export const STREAMS: readonly Stream[] = ['network', 'faults', 'workload', 'payment', 'schedule'];

export interface Question {
  readonly stream: Stream;
  /** What is being decided, e.g. "delay", "drop-request", "pause". */
  readonly kind: string;
  /** Largest answer (inclusive). Questions with max 0 are never asked. */
  readonly max: number;
  /**
   * Seeded sources only: chance in 1/1000 that the answer is non-zero. When absent the answer
   * is uniform over [0, max]. List sources ignore it: they answer what the list says.
   */
  readonly perMille?: number;
  /**
   * Human context, e.g. "app1->db reserve rpc3 o2": recorded for explanations, never hashed.
   * A function (or an object's `label()`, e.g. the message a choice is about) is called only
   * when choices are being recorded: building labels costs in sweeps.
   */
  readonly label?: Label;
}

/** A label, or something that can make one when it is needed. */
export type Label = string | (() => string) | { label(): string };

/** The text of a question's label ('' when it has none). */
export function labelText(l: Label | undefined): string {
  if (l === undefined) return '';
  if (typeof l === 'string') return l;
  if (typeof l === 'function') return l();
  return l.label();
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
  readonly index: number;
  readonly timeMs: number;
  readonly stream: Stream;
  readonly kind: string;
  readonly max: number;
  readonly value: number;
  readonly label: string;
}

/**
 * The kernel's single entry point for fate. Wraps a source, clamps its answers, skips
 * questions that cannot have a surprising answer (max 0 or perMille 0) and optionally records.
 */
export class Choices {
  readonly recorded: Choice[] | null;
  private count = 0;
  private readonly question: { -readonly [K in keyof Question]: Question[K] } = { stream: 'network', kind: '', max: 0, perMille: undefined, label: undefined };

  constructor(
    readonly source: ChoiceSource,
    private readonly now: () => number,
    record: boolean,
  ) {
    this.recorded = record ? [] : null;
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
    const index = this.count++;
    if (this.recorded !== null) {
      this.recorded.push({
        index,
        timeMs: this.now(),
        stream: q.stream,
        kind: q.kind,
        max: q.max,
        value: v,
        label: labelText(q.label),
      });
    }
    return v;
  }

  /** A yes/no fault with the given chance; 1 means the fault happens. */
  chance(stream: Stream, kind: string, perMille: number, label?: Label): boolean {
    if (perMille <= 0) return false;
    return this.ask(this.scratch(stream, kind, 1, perMille, label)) === 1;
  }

  /** An integer in [min, max]; min is the unsurprising answer. */
  between(stream: Stream, kind: string, min: number, max: number, label?: Label): number {
    return min + this.ask(this.scratch(stream, kind, max - min, undefined, label));
  }

  /**
   * The one question object chance() and between() fill in and pass on: every message asks
   * two or three questions, and a fresh object each was a measurable share of a sweep's
   * garbage. Sources only read it during answer() (see ChoiceSource).
   */
  private scratch(stream: Stream, kind: string, max: number, perMille: number | undefined, label: Label | undefined): Question {
    const q = this.question;
    q.stream = stream;
    q.kind = kind;
    q.max = max;
    q.perMille = perMille;
    q.label = label;
    return q;
  }
}
