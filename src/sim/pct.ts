/**
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, "A
 * Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010), over the
 * windowed model's ready set.
 *
 * Every chain (a logical process: chains.ts) gets a distinct random priority; at every step
 * the ready event of the highest-priority chain fires (its earliest, if it has several). At
 * d-1 change points drawn uniformly from the first k steps, the chain that took that step
 * drops below every other chain. A bug of depth d (one that needs d ordering constraints
 * between chains) is then found by one run with probability at least 1 / (n k^(d-1)), n the
 * number of chains.
 *
 * Read against real time: a ready event of a low-priority chain still fires when its window
 * closes (nothing may run past an event's latest time), so a low priority means "every one of
 * this chain's messages takes as long as its window allows, while the others are as quick as
 * they can be": whole processes are slow or fast, which is what a race between processes
 * needs and what uniform random picks almost never produce.
 *
 * As in Shuttle and Coyote (shuttle-schedulers/src/pct.rs, Coyote's PCTStrategy):
 * - a *step* is a scheduling decision, an event fired while more than one was ready (the
 *   paper, 4.1: change points during sequential execution are wasted);
 * - chains appear as the run goes (an order's first event, a recovery after a restart): a new
 *   chain takes a uniformly random place among the chains not yet lowered, so the priorities
 *   of all chains seen are a uniform random permutation;
 * - a lowered chain goes below every chain, the latest lowered lowest.
 * k is the number of steps of the calm run (every delay at its minimum, earliest first;
 * calmPctStats below), so change points fall where decisions are.
 *
 * Every pick is recorded as an ordinary `schedule` choice (Choices.decided): a run PCT found
 * replays from its answers with the choice scheduler, and shrinks like any other.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from './uniformInt.js';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { STREAMS, type Choices } from './choice.js';
import type { QueuedEvent } from './queue.js';
import { ReadyAbout, type Scheduler } from './scheduler.js';
import { eventSubjectOf } from './eventSubject.js';
import { chainOf } from './chains.js';
import { mapPacked } from './packed.js';

export interface PctOptions {
  /** Seeds the priorities and change points (its own generator, apart from every choice stream). */
  readonly seed: number;
  /** d >= 1: the bug depth aimed at; d-1 change points. */
  readonly depth: number;
  /** k >= 0: change points are drawn from steps 1..k (the calm run's number of steps). */
  readonly steps: number;
}

/** The largest depth accepted (change points beyond a handful find nothing new and cost probability). */
export const PCT_DEPTH_MAX = 16;

interface Chain {
  readonly key: string;
  /** Position in `order`: 0 is the highest priority. */
  rank: number;
}

export class PctScheduler implements Scheduler {
  readonly name: string;
  private readonly rng: RandomGenerator;
  /** Every chain seen, highest priority first: the chains not lowered, then the lowered ones. */
  private readonly order: Chain[] = [];
  /** How many chains at the end of `order` were lowered at a change point. */
  private lowered = 0;
  private readonly chains = new Map<string, Chain>();
  private readonly chainOfEvent = new WeakMap<QueuedEvent, Chain>();
  /** Change points, ascending: after the step with this number (1-based), its chain is lowered. */
  readonly changePoints: readonly number[];
  private nextChange = 0;
  private step = 0;
  private readonly about = new ReadyAbout();

  constructor(o: PctOptions) {
    if (!(Number.isInteger(o.depth) && o.depth >= 1 && o.depth <= PCT_DEPTH_MAX)) throw new RangeError(`PctScheduler: depth must be an integer in [1, ${PCT_DEPTH_MAX}], got ${o.depth}`);
    if (!(Number.isInteger(o.steps) && o.steps >= 0)) throw new RangeError(`PctScheduler: steps must be a non-negative integer, got ${o.steps}`);
    this.name = `pct d=${o.depth}`;
    // Past every choice stream's generator (sources.ts jumps once per stream): PCT's draws
    // never overlap the network's or the faults'.
    const root = xoroshiro128plus(o.seed | 0);
    for (let i = 0; i <= STREAMS.length; i++) root.jump();
    this.rng = root;
    this.changePoints = sampleDistinct(this.rng, Math.min(o.depth - 1, o.steps), o.steps);
  }

  /** Chains seen so far, highest priority first (for tests and reports). */
  priorities(): string[] {
    return mapPacked(this.order, (c) => c.key);
  }

  pick(ready: readonly QueuedEvent[], choices: Choices): number {
    if (ready.length === 1) return 0;
    // Every candidate's chain first: a new chain's place moves the ranks of those below it.
    for (let i = 0; i < ready.length; i++) this.chainFor(ready[i]);
    let best = 0;
    let bestRank = Infinity;
    for (let i = 0; i < ready.length; i++) {
      const rank = this.chainOfEvent.get(ready[i])!.rank;
      // Strictly better only: within a chain, its earliest ready event (ready is in (earliest, seq) order).
      if (rank < bestRank) {
        best = i;
        bestRank = rank;
      }
    }
    this.step++;
    if (this.nextChange < this.changePoints.length && this.changePoints[this.nextChange] === this.step) {
      this.nextChange++;
      this.lower(this.order[bestRank]);
    }
    this.about.ready = ready;
    const k = choices.decided({ stream: 'schedule', kind: 'schedule', max: ready.length - 1, about: this.about }, best);
    this.about.ready = [];
    return k;
  }

  private chainFor(e: QueuedEvent): Chain {
    const known = this.chainOfEvent.get(e);
    if (known !== undefined) return known;
    const key = chainOf(eventSubjectOf(e));
    let c = this.chains.get(key);
    if (c === undefined) {
      c = { key, rank: 0 };
      this.chains.set(key, c);
      // A uniformly random place among the chains not lowered (0: above them all).
      const at = uniformInt(this.rng, 0, this.order.length - this.lowered);
      this.order.splice(at, 0, c);
      this.renumber(at);
    }
    this.chainOfEvent.set(e, c);
    return c;
  }

  /** The chain drops below every other chain (the latest lowered is the lowest). */
  private lower(c: Chain): void {
    const from = c.rank;
    this.order.splice(from, 1);
    if (from < this.order.length + 1 - this.lowered) this.lowered++;
    this.order.push(c);
    this.renumber(from);
  }

  private renumber(from: number): void {
    for (let i = from; i < this.order.length; i++) this.order[i].rank = i;
  }
}

/** `count` distinct integers drawn uniformly from 1..max, ascending (Floyd's algorithm). */
function sampleDistinct(rng: RandomGenerator, count: number, max: number): number[] {
  const picked = new Set<number>();
  for (let j = max - count + 1; j <= max; j++) {
    const t = uniformInt(rng, 1, j);
    picked.add(picked.has(t) ? j : t);
  }
  return [...picked].sort((a, b) => a - b);
}

/** What PCT's parameters are read from: the calm run's steps (k) and chains (n). */
export interface PctCalmStats {
  /** Scheduling decisions (events fired while more than one was ready). */
  readonly steps: number;
  /** Distinct chains that had an event in a ready set of more than one. */
  readonly chains: number;
}

/**
 * A scheduler that always picks the earliest (EARLIEST's run) and counts what PCT needs:
 * run it on the calm run (a list of zeros, windowed timing) to get k and n.
 */
export class CalmCounter implements Scheduler {
  readonly name = 'earliest';
  private steps = 0;
  private readonly chains = new Set<string>();

  pick(ready: readonly QueuedEvent[]): number {
    if (ready.length > 1) {
      this.steps++;
      for (const e of ready) this.chains.add(chainOf(eventSubjectOf(e)));
    }
    return 0;
  }

  stats(): PctCalmStats {
    return { steps: this.steps, chains: this.chains.size };
  }
}

/**
 * PCT's guarantee, read backwards: after `runs` runs that found nothing, the probability that
 * a bug of depth `depth` exists and PCT missed it every time is at most (1 - p)^runs, with
 * p = 1 / (n k^(d-1)) the per-run lower bound of Burckhardt et al. (Theorem 9). n and k are
 * the calm run's; runs with faults may have more chains and steps, so this is the bound for
 * runs like the calm one, not a proof about every run.
 */
export function pctMissBound(runs: number, stats: PctCalmStats, depth: number): { perRun: number; miss: number } {
  const n = Math.max(1, stats.chains);
  const k = Math.max(1, stats.steps);
  const perRun = 1 / (n * k ** (depth - 1));
  return { perRun, miss: (1 - perRun) ** runs };
}
