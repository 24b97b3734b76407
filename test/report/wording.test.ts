// Counted nouns agree with their number, and a failing placeOrder is described with one verb.
import { describe, expect, it } from 'vitest';
import { formatRunSummary, formatSweepSummary } from '../../src/report/summary.js';
import { runOnce, type RunResult } from '../../src/explore/run.js';
import type { SweepSummary } from '../../src/explore/sweep.js';
import { defineStrategy, type Strategy } from '../../src/inventory/strategy.js';
import { inlineScenario } from '../helpers/scenarios.js';
import * as F from './fixtures.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../helpers/memoryIo.js';
import { agreeing, plural } from '../../src/report/plural.js';

function sweep(over: Partial<SweepSummary>): SweepSummary {
  return {
    scenario: 'flash-sale', strategy: 'naive', runs: 1, failingSeeds: [7], violationsByInvariant: { 'unique-units': 1 },
    firstFailure: { seed: 7, invariant: 'unique-units', message: 'vase#10 went to o1 and o14' },
    goodputMean: 1, latencyMs: { p50: 480, p99: 618 }, runsPerSecond: 100, seedRanges: [[7, 8]], ...over,
  };
}

describe('plurals in summaries', () => {
  it('one failing seed, one run, one seed', () => {
    const text = formatSweepSummary(sweep({}), 'scenarios/flash-sale.json');
    expect(text).toContain('· 1 run (seed 7) ·');
    expect(text).toMatch(/^1 failing seed: 7 {3}goodput/m);
    expect(text).toContain('✗ unique-units broke in 1 run\n');
    expect(text).not.toMatch(/\b1 (runs|seeds|failing seeds)\b/);
  });

  it('several: plural, and a range of seeds', () => {
    const text = formatSweepSummary(sweep({ runs: 20, failingSeeds: [3, 7], violationsByInvariant: { 'unique-units': 2 }, seedRanges: [[1, 21]] }), 'x.json');
    expect(text).toContain('· 20 runs (seeds 1..20) ·');
    expect(text).toMatch(/^2 failing seeds: 3, 7 /m);
    expect(text).toContain('broke in 2 runs');
    expect(formatSweepSummary(sweep({ failingSeeds: [], violationsByInvariant: {}, firstFailure: null }), 'x.json')).toMatch(/^0 failing seeds {3}/m);
  });

  it('"and 1 more order without an answer"', () => {
    const r = F.naiveFlashSale();
    const unknownOrders = Array.from({ length: 6 }, (_, i) => ({ order: `o${i + 1}`, reason: 'app3 crashed mid-order' }));
    const text = formatRunSummary({ ...r, unknownOrders } as RunResult, 'x.json');
    expect(text).toContain('… and 1 more order without an answer');
  });
});

describe('a counted noun and the verb after it agree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oversold-wording-'));
  const schedule = async (file: string): Promise<string> => {
    const r = await run(['explore', `scenarios/${file}.json`, '--replay-file', join(dir, `${file}.json`)]);
    expect(r.code).toBe(1);
    return r.stdout.split('\n').find((l) => l.startsWith('schedule '))!;
  };

  it('explore: "1 answer that matters", "2 answers that matter" (it printed "1 answer that matter")', async () => {
    expect(await schedule('explore-small-recovery-skips-expired')).toBe('schedule   1 answer that matters (every other was the calm default):');
    expect(await schedule('explore-small-reservation-per-line-pause')).toBe('schedule   2 answers that matter (every other was the calm default):');
  });

  it('agreeing picks the singular only for exactly one', () => {
    expect([0, 1, 2].map((n) => `${plural(n, 'answer')} that ${agreeing(n, 'matters', 'matter')}`)).toEqual(['0 answers that matter', '1 answer that matters', '2 answers that matter']);
  });
});

describe('a failing placeOrder, in words', () => {
  const scenario = inlineScenario({
    items: [{ id: 'vase', stock: 3 }],
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 10, app: 'app1', item: 'vase' }] },
  });
  const strategyError = (placeOrder: Strategy['placeOrder']): string => {
    const r = runOnce(scenario, { seed: 1, strategy: defineStrategy({ name: 'broken', summary: 'fails', safe: false, placeOrder }) });
    const v = r.violations.find((x) => x.invariant === 'strategy-error');
    expect(v).toBeDefined();
    return v!.message;
  };

  it('a thrown string: "threw" once', () => {
    const message = strategyError(function* () { throw 'plain string'; });
    expect(message).toBe('o1\'s placeOrder threw "plain string" (and 1 more order failed the same way or worse).');
  });

  it('a thrown Error keeps its name', () => {
    const message = strategyError(function* () { throw new TypeError('boom'); });
    expect(message).toMatch(/^o1's placeOrder threw TypeError: boom /);
  });

  it('a yielded non-effect: "yielded", not "threw yielded"', () => {
    const message = strategyError(function* () { yield 5 as never; return 'ORDER_PLACED'; });
    expect(message).toMatch(/^o1's placeOrder yielded 5, not an effect/);
    expect(message).not.toContain('threw');
  });
});
