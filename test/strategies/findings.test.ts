/** A misbehaving strategy is a finding with a name, never a crash or a hang of the simulator. */
import { describe, expect, it } from 'vitest';
import { runOnce } from '../../src/explore/run.js';
import { conditionalDecrement } from '../../src/inventory/strategies/index.js';
import { defineStrategy } from '../../src/inventory/strategy.js';
import { scenario } from './fixture.js';

describe('misbehaving strategies are reported', () => {
  it('one that throws: a strategy-error violation naming the order and the error', () => {
    const throws = defineStrategy({
      name: 'throws',
      summary: 'reads, then throws',
      safe: false,
      *placeOrder(ctx) {
        yield* ctx.db.read('vase');
        throw new Error('boom');
      },
    });
    const r = runOnce(scenario(), { seed: 1, strategy: throws });
    const v = r.violations.find((x) => x.invariant === 'strategy-error');
    expect(v?.message).toMatch(/boom/);
    expect(v?.orders).toHaveLength(15);
    expect(r.stop).toBe('quiet');
  });

  it('one that loops forever: a liveness violation at the event limit', () => {
    const spins = defineStrategy({
      name: 'spins',
      summary: 'polls forever',
      safe: false,
      *placeOrder(ctx) {
        while (true) yield* ctx.sleep(1);
      },
    });
    const r = runOnce(scenario({ limits: { maxEvents: 20_000 } }), { seed: 1, strategy: spins });
    expect(r.stop).toBe('event-limit');
    expect(r.violations.map((v) => v.invariant)).toEqual(['liveness']);
    expect(r.unknownOrders).toHaveLength(15);
  });

  it('a safe strategy that can never learn its outcome leaves the order unanswered (liveness), never guesses', () => {
    // app1 is cut off from the primary for longer than the run; the decrement may or may not
    // have been applied (here: the request never arrives), so the order must not answer.
    const sc = scenario({
      workload: { orders: [{ atMs: 0, app: 'app1', lines: [{ item: 'vase', qty: 1 }] }] },
      faults: { untilMs: null, steps: [{ kind: 'partition', a: ['app1'], b: ['db'], atMs: 0, healAtMs: 10_000_000, direction: 'both' }] },
    });
    const r = runOnce(sc, { seed: 1, strategy: conditionalDecrement, options: { persistAttempts: 5 } });
    expect(r.stop).toBe('time-limit');
    expect(r.violations.map((v) => v.invariant)).toEqual(['liveness']);
    expect(r.orders).toEqual({ placed: 0, outOfStock: 0, failed: 0, unknown: 1 });
  });
});
