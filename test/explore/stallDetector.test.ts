import { describe, expect, it } from 'vitest';
import { StallDetector } from '../../src/explore/pool.js';
import { Heartbeat, PHASE } from '../../src/explore/worker.js';

/** Ticks until the detector answers a stop (or `max` ticks pass): [tick number, kind]. */
function ticksToStop(d: StallDetector, max = 100): [number, string] | null {
  for (let i = 1; i <= max; i++) {
    const k = d.tick();
    if (k !== null) return [i, k];
  }
  return null;
}

describe('the watchdog judges a module\'s load by the load budget, a run by the stall limit', () => {
  it('a load that shows no sign of life is stopped at the load budget, not at the stall limit', () => {
    const hb = new Heartbeat();
    hb.enter(PHASE.loading);
    const d = new StallDetector(hb, 2, { loadBudgetTicks: 12 });
    d.reset();
    expect(ticksToStop(d)).toEqual([12, 'load-budget']);
  });

  it('once loaded, the stall limit starts afresh (the ticks spent loading do not count)', () => {
    const hb = new Heartbeat();
    hb.enter(PHASE.loading);
    const d = new StallDetector(hb, 3, { loadBudgetTicks: 12 });
    d.reset();
    for (let i = 0; i < 10; i++) expect(d.tick()).toBeNull();
    hb.enter(PHASE.placeOrder);
    expect(ticksToStop(d)).toEqual([4, 'stall']);
  });

  it('without a load budget, a silent load is held to the stall limit like a run', () => {
    const hb = new Heartbeat();
    hb.enter(PHASE.loading);
    const d = new StallDetector(hb, 2);
    d.reset();
    expect(ticksToStop(d)).toEqual([2, 'stall']);
  });
});
