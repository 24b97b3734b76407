// The tests of determinism.test.ts that start worker threads or processes: the fast tier starts
// neither (test/setup/fastTier.ts, docs/testing.md), so they run here, in the slow tier.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { checkRunDeterminism } from '../../src/explore/determinism.js';
import { sweepParallel } from '../../src/explore/parallel.js';
import { loadStrategy } from '../../src/explore/loadStrategy.js';
import { builtinStrategy } from '../../src/explore/run.js';
import { flashSale, ROOT } from './helpers.js';

const RANDOM = resolve(ROOT, 'test/fixtures/random-strategy.mjs');
const LEAKY = resolve(ROOT, 'test/fixtures/leaky-strategy.mjs');

describe('determinism checks', () => {
  it('a deterministic run gives the same trace in a fresh worker thread', async () => {
    const d = await checkRunDeterminism(flashSale(), { strategy: builtinStrategy('naive'), strategyRef: 'naive', cwd: ROOT, seed: 7 });
    expect(d).toBeNull();
  });

  it('a strategy that reads Math.random is caught, naming the first diverging trace event', async () => {
    const strategy = await loadStrategy(RANDOM, ROOT);
    const d = await checkRunDeterminism(flashSale(), { strategy, strategyRef: RANDOM, cwd: ROOT, seed: 1 });
    expect(d).not.toBeNull();
    expect(d!.traceHashes[0]).not.toBe(d!.traceHashes[1]);
    const f = d!.firstDifference!;
    expect(f.first).not.toBe(f.second);
    expect(JSON.parse(f.first!)).toHaveProperty('type');
  });

  it('sweep --check-determinism catches Math.random and stops at the first divergent seed', async () => {
    // Stopping early is a race between the sweep's threads and the verifiers that start after
    // them (a thread and its module loading take ~0.3-1 s on a busy machine): with guided chunk
    // sizes 2 000 naive seeds could all finish first, so the sweep is long enough to stop in.
    const r = await sweepParallel({ scenario: flashSale(), strategy: RANDOM, cwd: ROOT, start: 1, count: 40_000, workers: 2, checkDeterminism: true });
    expect(r.divergence).not.toBeNull();
    expect(r.divergence!.firstDifference).not.toBeNull();
    expect(r.tally.runs).toBeLessThan(40_000);
  });

  it('sweep --check-determinism catches state that leaks between runs, even with one worker', async () => {
    const r = await sweepParallel({ scenario: flashSale(), strategy: LEAKY, cwd: ROOT, start: 1, count: 300, workers: 1, checkDeterminism: true });
    expect(r.divergence).not.toBeNull();
  });

  it('sweep --check-determinism passes a deterministic strategy', async () => {
    const r = await sweepParallel({ scenario: flashSale(), strategy: 'reservation', cwd: ROOT, start: 1, count: 200, workers: 2, checkDeterminism: true });
    expect(r.divergence).toBeNull();
    expect(r.tally.runs).toBe(200);
  });
});
