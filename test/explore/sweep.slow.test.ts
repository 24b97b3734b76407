// The tests of sweep.test.ts that start worker threads or processes: the fast tier starts
// neither (test/setup/fastTier.ts, docs/testing.md), so they run here, in the slow tier.
import { describe, expect, it } from 'vitest';
import { sweepParallel } from '../../src/explore/parallel.js';
import { sweepInline, mergeTallies } from '../../src/explore/sweep.js';
import { shardRange } from '../../src/explore/shard.js';
import { sweepReport, mergeSweepReports, type SweepReport } from '../../src/explore/sweepReport.js';
import { builtinStrategy } from '../../src/explore/run.js';
import { InputError } from '../../src/errors.js';
import { chaos, ROOT } from './helpers.js';

const base = { strategy: 'lock-lease', cwd: ROOT, start: 1 };

/** A report minus wall-clock fields (the only ones that may differ between equal sweeps). */
function facts(r: SweepReport): Omit<SweepReport, 'elapsedMs' | 'runsPerSecond' | 'parts' | 'shard'> {
  const { elapsedMs: _e, runsPerSecond: _r, parts: _p, shard: _s, ...rest } = r;
  return rest;
}

describe('parallel sweeps', () => {
  it('report the same failing seeds (and the same tally) with 1 and 2 workers, as a sweep in this thread', async () => {
    const scenario = chaos();
    const one = await sweepParallel({ ...base, scenario, count: 120, workers: 1 });
    const two = await sweepParallel({ ...base, scenario, count: 120, workers: 2, chunkSize: 7 });
    const inline = mergeTallies([sweepInline(scenario, { start: 1, count: 120, strategy: builtinStrategy('lock-lease') })]);
    expect(one.tally.failingSeeds.length).toBeGreaterThan(0);
    expect(two.tally).toEqual(one.tally);
    expect(one.tally).toEqual(inline);
    expect(one.interrupted).toBe(false);
  });

  it('with --fail-fast stop at the lowest failing seed whatever the number of workers', async () => {
    const scenario = chaos();
    const runs = await Promise.all([1, 2, 3].map((workers) => sweepParallel({ ...base, scenario, count: 200, workers, failFast: true, chunkSize: 2 })));
    const first = runs[0].tally;
    expect(first.failingSeeds).toHaveLength(1);
    expect(first.ranges).toEqual([[1, first.failingSeeds[0] + 1]]);
    for (const r of runs) expect(r.tally).toEqual(first);
  });

  it('stop promptly when aborted and report what ran', async () => {
    const abort = new AbortController();
    let seen = 0;
    const r = await sweepParallel({
      ...base,
      scenario: chaos(),
      count: 1_000_000,
      workers: 2,
      signal: abort.signal,
      onProgress: (n) => {
        seen += n;
        if (seen >= 50) abort.abort();
      },
    });
    expect(r.interrupted).toBe(true);
    expect(r.tally.runs).toBeGreaterThanOrEqual(50);
    expect(r.tally.runs).toBeLessThan(5000);
    const ranSeeds = r.tally.ranges.reduce((n, [a, b]) => n + (b - a), 0);
    expect(ranSeeds).toBe(r.tally.runs);
  });

  it('a strategy module that fails to load in a worker is an InputError', async () => {
    await expect(sweepParallel({ ...base, strategy: './nope.ts', scenario: chaos(), count: 10, workers: 1 })).rejects.toBeInstanceOf(InputError);
  });
});

describe('shards', () => {
  it('shards 1/2 and 2/2 merged equal the unsharded sweep', async () => {
    const scenario = chaos();
    const requested = { start: 1, count: 101 };
    const report = async (shard: { index: number; count: number } | null) => {
      const slice = shard ? shardRange(1, 101, shard) : requested;
      const r = await sweepParallel({ ...base, scenario, ...slice, workers: 2 });
      return sweepReport({ scenario, strategy: 'lock-lease', tally: r.tally, requested, shard, failFast: false, interrupted: false, elapsedMs: 1000 });
    };
    const [whole, s1, s2] = await Promise.all([report(null), report({ index: 1, count: 2 }), report({ index: 2, count: 2 })]);
    expect(s1.missingSeedRanges).toEqual([]);
    const merged = mergeSweepReports([{ file: 's2', report: s2 }, { file: 's1', report: s1 }]);
    expect(facts(merged)).toEqual(facts(whole));
    expect(merged.failingSeeds.length).toBeGreaterThan(0);
    expect(merged.parts).toBe(2);
    // A missing shard is reported as a gap, an overlapping one refused.
    expect(mergeSweepReports([{ file: 's1', report: s1 }]).missingSeedRanges).toEqual([[s2.seedRanges[0][0], 102]]);
    expect(() => mergeSweepReports([{ file: 'a', report: s1 }, { file: 'b', report: s1 }])).toThrow(/appear in both a and b/);
    const other = { ...s2, scenarioHash: 'ffffffffffffffff' };
    expect(() => mergeSweepReports([{ file: 'a', report: s1 }, { file: 'b', report: other }])).toThrow(/same scenario/);
  });
});
