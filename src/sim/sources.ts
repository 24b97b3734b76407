import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { STREAMS, type ChoiceSource, type Question, type Stream } from './choice.js';

/**
 * Seeded source: one xoroshiro128plus generator per stream, each derived from the root seed
 * by a fixed jump count, so that adding a network draw never reshuffles workload or payment
 * draws (changing one knob does not change everything).
 */
export class SeededSource implements ChoiceSource {
  /** One generator per stream, in STREAMS order (an array and a switch: a Map per run and a lookup per question cost more). */
  private readonly rngs: RandomGenerator[] = [];
  readonly description: string;

  constructor(readonly seed: number) {
    this.description = `seed ${seed}`;
    const root = xoroshiro128plus(seed | 0);
    for (let i = 0; i < STREAMS.length; i++) {
      // jump() advances 2^64 steps: streams never overlap.
      root.jump();
      this.rngs.push(root.clone());
    }
  }

  answer(q: Question): number {
    const rng = this.rngs[streamIndex(q.stream)];
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
