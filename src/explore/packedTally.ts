import type { RunResult } from './run.js';
import { addFaultTally, addRunFaults } from './marks.js';
import type { SweepTally } from './sweep.js';

/**
 * A chunk's tally as it crosses from a worker thread to the sweep's main thread: a SweepTally
 * whose latency histogram is one Float64Array of (ms, count) pairs, ms ascending, instead of a
 * record. Why: a chunk of 256 flash-sale-chaos runs has ~1 600 distinct latencies. As a record
 * with integer-like keys (dictionary-mode elements) it cost the worker ~4 % of its time to
 * build and ~6 % to structured-clone, and the main thread ~3.5 ms per chunk to merge
 * (Object.entries on both sides): the main thread's largest share of a sweep. As pairs it is
 * one copy of bytes, and merging is one Map update per pair. The other fields are small.
 */
export interface PackedTally extends Omit<SweepTally, 'latencyHistogram'> {
  /** [ms, count, ms, count, ...], ms strictly ascending; counts > 0. */
  readonly latencyPairs: Float64Array;
}

/**
 * Accumulates runs (in a worker) or tallies (in the main thread) with the histogram in a Map
 * keyed by ms: a small-integer key is a hash lookup, not a string conversion and a dictionary
 * element. Counts are integers, so the order in which runs and chunks are added changes
 * nothing: `tally()` is the same SweepTally for any chunking (test/explore/packedTally.test.ts).
 */
export class TallyBuilder {
  runs = 0;
  goodputMicrosSum = 0;
  readonly failingSeeds: number[] = [];
  readonly violationsByInvariant: Record<string, number> = {};
  readonly firstByInvariant: Record<string, { seed: number; message: string }> = {};
  readonly ranges: Array<[number, number]> = [];
  /** null once a tally without fault counts (an older version's) is added: partial counts would mislead. */
  faults: { faultsStruck: Record<string, number>; faultsStruckFailing: Record<string, number> } | null = { faultsStruck: {}, faultsStruckFailing: {} };
  private readonly latency = new Map<number, number>();

  /** Counts one run of `seed` (the only place a run is counted: sweepInline and worker chunks both come here); answers whether it failed. */
  addRun(seed: number, r: Pick<RunResult, 'goodput' | 'orderRecords' | 'faultsStruck' | 'violations'>): boolean {
    this.runs++;
    this.goodputMicrosSum += Math.round(r.goodput * 1_000_000);
    const latency = this.latency;
    for (const o of r.orderRecords) {
      if (o.status !== 'answered' || o.endMs === null) continue;
      const ms = o.endMs - o.startMs;
      latency.set(ms, (latency.get(ms) ?? 0) + 1);
    }
    const failed = r.violations.length > 0;
    if (this.faults) addRunFaults(this.faults, r.faultsStruck, failed);
    if (!failed) return false;
    this.failingSeeds.push(seed);
    const seen = new Set<string>();
    for (const v of r.violations) {
      if (seen.has(v.invariant)) continue;
      seen.add(v.invariant);
      this.violationsByInvariant[v.invariant] = (this.violationsByInvariant[v.invariant] ?? 0) + 1;
      const first = this.firstByInvariant[v.invariant];
      if (!first || seed < first.seed) this.firstByInvariant[v.invariant] = { seed, message: v.message };
    }
    return true;
  }

  /** Adds a packed chunk (from a worker) or a plain tally (a stalled seed's, a re-run's). */
  add(from: PackedTally | SweepTally): this {
    this.runs += from.runs;
    this.goodputMicrosSum += from.goodputMicrosSum;
    for (const s of from.failingSeeds) this.failingSeeds.push(s);
    for (const r of from.ranges) this.ranges.push([r[0], r[1]]);
    for (const k in from.violationsByInvariant) this.violationsByInvariant[k] = (this.violationsByInvariant[k] ?? 0) + from.violationsByInvariant[k];
    for (const k in from.firstByInvariant) {
      const f = from.firstByInvariant[k];
      const cur = this.firstByInvariant[k];
      if (!cur || f.seed < cur.seed) this.firstByInvariant[k] = { seed: f.seed, message: f.message };
    }
    if (this.faults && from.faultsStruck && from.faultsStruckFailing) addFaultTally(this.faults, { faultsStruck: from.faultsStruck, faultsStruckFailing: from.faultsStruckFailing });
    else this.faults = null;
    const latency = this.latency;
    if ('latencyPairs' in from) {
      const p = from.latencyPairs;
      for (let i = 0; i < p.length; i += 2) latency.set(p[i], (latency.get(p[i]) ?? 0) + p[i + 1]);
    } else {
      for (const k in from.latencyHistogram) latency.set(Number(k), (latency.get(Number(k)) ?? 0) + from.latencyHistogram[k]);
    }
    return this;
  }

  /** The packed form (the histogram as one Float64Array of pairs: a reply copies it, worker.ts says why it is not transferred). */
  pack(): PackedTally {
    return { ...this.common(), latencyPairs: latencyPairsOf(this.latency) };
  }

  /** A SweepTally (not yet in canonical order: finishTally in sweep.ts). */
  tally(): SweepTally {
    // No sort: integer keys (ms) enumerate in ascending order whatever the order they were set
    // in, and setting them sorted cost ~7x more (~21 ms against ~3 ms for 2 300 latencies: a
    // sweep in this thread now ends here). finishTally still sorts a histogram that is not.
    const latencyHistogram: Record<string, number> = {};
    for (const [ms, n] of this.latency) latencyHistogram[ms] = n;
    return { ...this.common(), latencyHistogram };
  }

  private common(): Omit<SweepTally, 'latencyHistogram'> {
    const t: Omit<SweepTally, 'latencyHistogram'> = {
      runs: this.runs,
      failingSeeds: [...this.failingSeeds],
      violationsByInvariant: { ...this.violationsByInvariant },
      firstByInvariant: { ...this.firstByInvariant },
      goodputMicrosSum: this.goodputMicrosSum,
      ranges: this.ranges.map((r): [number, number] => [r[0], r[1]]),
    };
    if (this.faults) {
      t.faultsStruck = { ...this.faults.faultsStruck };
      t.faultsStruckFailing = { ...this.faults.faultsStruckFailing };
    }
    return t;
  }
}

/**
 * The histogram as (ms, count) pairs, ms ascending. A function of its own, not pack's body: its
 * loop over thousands of latencies is compiled on stack (OSR) in the middle of a chunk's pack,
 * and in pack that compiled code ran on into the reply's literal, which it had no feedback for,
 * and was thrown away at every chunk's end (a deopt and an OSR compile per chunk in some
 * strategies' sweeps; docs/benchmarks.md, "Warm-up of a 2-worker sweep"). Here it only returns.
 */
function latencyPairsOf(latency: ReadonlyMap<number, number>): Float64Array {
  const keys = [...latency.keys()].sort((a, b) => a - b);
  const pairs = new Float64Array(keys.length * 2);
  for (let i = 0; i < keys.length; i++) {
    pairs[2 * i] = keys[i];
    pairs[2 * i + 1] = latency.get(keys[i])!;
  }
  return pairs;
}
