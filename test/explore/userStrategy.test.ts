// A user's own strategy through the public API (the CLI side is in test/cli/userStrategy.test.ts).
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { assertStrategyHolds, loadStrategy, runOnce, isStrategy } from '../../src/index.js';
import myStrategy from '../../examples/my-strategy.js';
import { chaos, fcRuns, ROOT } from './helpers.js';

describe('examples/my-strategy.ts', () => {
  it('is a strategy, imported like any module', () => {
    expect(isStrategy(myStrategy)).toBe(true);
    expect(myStrategy.name).toBe('my-decrement');
    expect(myStrategy.safe).toBe(true);
  });

  it('runs through runOnce and holds the fast-check property on flash-sale-chaos', () => {
    const r = runOnce(chaos(), { seed: 3, strategy: myStrategy });
    expect(r.verdict).toBe('ok');
    expect(assertStrategyHolds(chaos(), myStrategy, { numRuns: fcRuns(150), replayFile: false }).found).toBe(false);
  });

  it('loads by path the way --strategy does, giving the same runs', async () => {
    const loaded = await loadStrategy('./examples/my-strategy.ts', ROOT);
    const a = runOnce(chaos(), { seed: 11, strategy: loaded });
    const b = runOnce(chaos(), { seed: 11, strategy: myStrategy });
    expect(a.traceHash).toBe(b.traceHash);
  });

  it('a strategy written as a class instance keeps its prototype methods and its `this`', async () => {
    const loaded = await loadStrategy('./test/fixtures/class-strategy.mjs', ROOT);
    expect(loaded).toMatchObject({ name: 'class-decrement', safe: true, summary: 'user strategy from ./test/fixtures/class-strategy.mjs' });
    const r = runOnce(chaos(), { seed: 5, strategy: loaded, keepTrace: true });
    expect(r.verdict).toBe('ok');
    expect(r.unknownOrders.filter((u) => u.reason.startsWith('placeOrder'))).toEqual([]);
    expect(r.orders.placed).toBeGreaterThan(0);
    // The request ids come from `this.label`: the instance's own field, seen through the method.
    expect(JSON.stringify(r.trace)).toContain('"requestId":"o1-decrement-1"');
  });

  it('a module that exports no strategy is an InputError that says what to export', async () => {
    await expect(loadStrategy(resolve(ROOT, 'test/explore/helpers.ts'), ROOT)).rejects.toThrow(/exports no strategy/);
  });
});
