import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TallyBuilder, type PackedTally } from '../../src/explore/packedTally.js';
import { finishTally, sweepInline, sweepSeeds, type SweepTally } from '../../src/explore/sweep.js';
import { builtinStrategy, runOnce, type RunResult } from '../../src/explore/run.js';
import { stallTally } from '../../src/explore/parallel.js';
import { chaos, fcRuns } from './helpers.js';

const SEEDS = 48;
const scenario = chaos();
// lock-lease breaks under chaos now and then: the range has failing and passing seeds.
const strategy = builtinStrategy('lock-lease');
const runs: RunResult[] = Array.from({ length: SEEDS }, (_, i) => runOnce(scenario, { seed: 1 + i, strategy }));
const whole = recount(runs);

/**
 * The oracle: the tally of seeds 1..runs.length counted naively from the runs themselves, one
 * field at a time, sharing no code with TallyBuilder (the one counter sweeps use).
 */
function recount(rs: readonly RunResult[]): SweepTally {
  const t: SweepTally = { runs: rs.length, failingSeeds: [], violationsByInvariant: {}, firstByInvariant: {}, goodputMicrosSum: 0, latencyHistogram: {}, ranges: [[1, rs.length + 1]], faultsStruck: {}, faultsStruckFailing: {} };
  const latencies: number[] = [];
  rs.forEach((r, i) => {
    const seed = i + 1;
    const failed = r.violations.length > 0;
    if (failed) t.failingSeeds.push(seed);
    t.goodputMicrosSum += Math.round(r.goodput * 1_000_000);
    for (const o of r.orderRecords) if (o.status === 'answered' && o.endMs !== null) latencies.push(o.endMs - o.startMs);
    for (const id of new Set(r.faultsStruck)) {
      t.faultsStruck![id] = (t.faultsStruck![id] ?? 0) + 1;
      if (failed) t.faultsStruckFailing![id] = (t.faultsStruckFailing![id] ?? 0) + 1;
    }
  });
  for (const ms of latencies.sort((a, b) => a - b)) t.latencyHistogram[String(ms)] = (t.latencyHistogram[String(ms)] ?? 0) + 1;
  // A run counts once per invariant it broke, however many times; the first is the lowest seed's first message.
  const invariants = [...new Set(rs.flatMap((r) => r.violations.map((v) => v.invariant)))].sort();
  for (const inv of invariants) {
    const seeds = rs.flatMap((r, i) => (r.violations.some((v) => v.invariant === inv) ? [i + 1] : []));
    t.violationsByInvariant[inv] = seeds.length;
    t.firstByInvariant[inv] = { seed: seeds[0], message: rs[seeds[0] - 1].violations.find((v) => v.invariant === inv)!.message };
  }
  return t;
}

/** Chunk [start, start+count) packed as a worker packs it, after a trip through structured clone. */
function packedChunk(start: number, count: number): PackedTally {
  const b = new TallyBuilder();
  for (let seed = start; seed < start + count; seed++) b.addRun(seed, runs[seed - 1]);
  b.ranges.push([start, start + count]);
  return structuredClone(b.pack());
}

/** Cut points 1 < c1 < c2 < ... < SEEDS + 1 from a set of offsets. */
const chunkings = fc.uniqueArray(fc.integer({ min: 2, max: SEEDS }), { maxLength: 12 }).map((cuts) => [1, ...cuts.sort((a, b) => a - b), SEEDS + 1]);

describe('packed chunk tallies (what a worker sends the main thread)', () => {
  it('the range has failing and passing seeds, latencies to merge, and struck faults', () => {
    expect(whole.failingSeeds.length).toBeGreaterThan(0);
    expect(whole.failingSeeds.length).toBeLessThan(SEEDS);
    expect(Object.keys(whole.latencyHistogram).length).toBeGreaterThan(20);
    expect(Object.keys(whole.faultsStruckFailing!).length).toBeGreaterThan(0);
  });

  it('a sweep in this thread counts what a naive recount of its runs counts', () => {
    expect(finishTally(sweepInline(scenario, { start: 1, count: SEEDS, strategy }))).toEqual(whole);
  });

  it(`merge into exactly the naive recount of all the runs, for any chunking and any order of arrival (fast-check, ${fcRuns(100)} runs; a failure prints its seed and path)`, () => {
    fc.assert(
      fc.property(chunkings, fc.integer(), (cuts, shuffleSeed) => {
        const parts = cuts.slice(1).map((end, i) => packedChunk(cuts[i], end - cuts[i]));
        // A deterministic shuffle: workers finish in any order.
        const order = parts.map((p, i) => ({ p, k: Math.imul(i + 1, shuffleSeed | 1) >>> 0 })).sort((a, b) => a.k - b.k);
        const merged = new TallyBuilder();
        for (const { p } of order) merged.add(p);
        expect(finishTally(merged.tally())).toEqual(whole);
      }),
      { numRuns: fcRuns(100) },
    );
  });

  it('a worker chunk counted by sweepSeeds into a builder equals the naive recount of the same seeds', () => {
    const b = new TallyBuilder();
    const end = sweepSeeds(scenario, { start: 1, count: SEEDS, strategy }, (seed, r) => b.addRun(seed, r));
    b.ranges.push([1, end]);
    expect(end).toBe(SEEDS + 1);
    expect(finishTally(b.tally())).toEqual(whole);
  });

  it('the histogram travels as ascending (ms, count) pairs', () => {
    const p = packedChunk(1, SEEDS);
    const ms = p.latencyPairs.filter((_, i) => i % 2 === 0);
    expect([...ms]).toEqual([...ms].sort((a, b) => a - b));
    expect(new Set(ms).size).toBe(ms.length);
    expect([...ms].map(String)).toEqual(Object.keys(whole.latencyHistogram));
  });

  it('mixes with plain tallies (a stalled seed) and drops fault counts a part lacks, as addTally does', () => {
    const b = new TallyBuilder().add(packedChunk(1, 10)).add(stallTally(11, 'stopped'));
    const t = finishTally(b.tally());
    expect(t.runs).toBe(11);
    expect(t.failingSeeds).toContain(11);
    expect(t.violationsByInvariant.liveness).toBe(1);
    const { faultsStruck: _s, faultsStruckFailing: _f, ...old } = stallTally(12, 'x');
    expect(finishTally(new TallyBuilder().add(packedChunk(1, 10)).add(old).tally()).faultsStruck).toBeUndefined();
  });
});
