import { uniformInt } from './uniformInt.js';
import { jumpedGenerator } from './streamStates.js';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { ChoiceSource, Question, Stream } from './choice.js';

/**
 * Seeded source: one xoroshiro128plus generator per stream, each derived from the root seed
 * by a fixed jump count, so that adding a network draw never reshuffles workload or payment
 * draws (changing one knob does not change everything).
 */
export class SeededSource implements ChoiceSource {
  /**
   * One generator per stream, in STREAMS order (an array and a switch: a Map per run and a
   * lookup per question cost more), each made when its stream is first asked: stream i is the
   * root jumped i + 1 times, so a run that never asks the later streams (a sampled run never
   * asks `schedule`, a sale without payments never asks `payment`) skips their jumps. The
   * same states as jumping all five at once: only when they are computed differs (and how:
   * streamStates.ts makes the jumped state without jumping).
   * A literal, one slot per stream in STREAMS (a test pins the length): PACKED in every tier.
   * Not STREAMS.map: an optimised caller's inlined map (and slice of this constant literal)
   * made a HOLEY array in some runs and a PACKED one in others, and rng()'s optimised code
   * deoptimised on the other class in every sweep thread (sim/packed.ts says why). Not
   * Array.from(STREAMS, f) either: its callback per slot was 0.6 % of a flash-sale-chaos run
   * (docs/benchmarks.md, round 6). A stream past the literal would still work (rng() stores
   * at the end of the array).
   */
  private readonly rngs: (RandomGenerator | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  readonly description: string;

  constructor(readonly seed: number) {
    this.description = `seed ${seed}`;
  }

  private rng(i: number): RandomGenerator {
    const made = this.rngs[i];
    if (made !== undefined) return made;
    // xoroshiro128plus(seed) jumped i + 1 times: a jump advances 2^64 steps, streams never overlap.
    return (this.rngs[i] = jumpedGenerator(this.seed, i + 1));
  }

  answer(q: Question): number {
    const rng = this.rng(streamIndex(q.stream));
    if (q.perMille === undefined) return uniformInt(rng, 0, q.max);
    if (uniformInt(rng, 0, 999) >= q.perMille) return 0;
    return q.max === 1 ? 1 : uniformInt(rng, 1, q.max);
  }
}

/** The position of `stream` in STREAMS (a test pins that the two agree). */
export function streamIndex(stream: Stream): number {
  switch (stream) {
    case 'network':
      return 0;
    case 'faults':
      return 1;
    case 'workload':
      return 2;
    case 'payment':
      return 3;
    case 'schedule':
      return 4;
  }
}

/**
 * List source: answers from a list in order and 0 once it runs out. Used for replay files
 * (the recorded answers) and for fast-check (an arbitrary list of integers it can shrink).
 */
export class ListSource implements ChoiceSource {
  private next = 0;
  readonly description: string;

  constructor(private readonly values: readonly number[], label = 'list') {
    this.description = `${label} (${values.length} choices)`;
  }

  answer(q: Question): number {
    const v = this.next < this.values.length ? this.values[this.next] : 0;
    this.next++;
    return v > q.max ? v % (q.max + 1) : v;
  }

  /** How many answers the run consumed (may exceed the list: the rest were zeros). */
  get consumed(): number {
    return this.next;
  }
}
