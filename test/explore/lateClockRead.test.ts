// A violation that only a late clock reading reaches (execution.ts clockMs, docs/exploration.md
// "Clock readings"): a strategy that sells twice when its clock reads at least `lateMs` as the
// stock read's reply arrives. One order, stock 1, messages 10..50 ms: the reply arrives between
// 20 and 100 ms, so only the late class (100) reads past 90. explore finds it only through the
// late reading, and confirmation finds a real timing that reads that late (the explored order
// solved with the reading's event fixed at its reading: confirmTiming.ts).
import { describe, expect, it } from 'vitest';
import { exploreStrategy, parseScenario, formatProblem, type Scenario, type Strategy } from '../../src/index.js';

function lateSeller(lateMs: number): Strategy {
  return {
    name: 'late-seller',
    summary: 'sells twice when its clock reads late (test only)',
    safe: false,
    *placeOrder(ctx) {
      const line = ctx.order.lines[0];
      const r = yield* ctx.db.read(line.item);
      if (!r.ok || !r.value.ok) return 'FAILED';
      if (r.value.stock < line.qty) return 'OUT_OF_STOCK';
      const qty = ctx.localTime() >= lateMs ? 2 * line.qty : line.qty;
      const w = yield* ctx.db.write(line.item, r.value.stock - qty, qty);
      return w.ok ? 'ORDER_PLACED' : 'FAILED';
    },
  };
}

function scenario(): Scenario {
  const r = parseScenario(JSON.stringify({
    name: 'late-read', seed: 1,
    items: [{ id: 'vase', stock: 1 }],
    topology: { appServers: 1, dbTickMs: 100_000 },
    network: { delayMsMin: 10, delayMsMax: 50 },
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }] },
    strategy: { name: 'naive' },
    limits: { maxTimeMs: 1000, maxEvents: 100 },
    timing: 'windowed',
  }), 'late-read.json');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

describe('a violation that needs a late clock reading', () => {
  it('is found by explore and confirmed by a real timing', () => {
    const r = exploreStrategy(scenario(), lateSeller(90));
    // It sold 2 of a stock of 1 (the db's books no longer balance).
    expect(r.violations.map((v) => v.invariant)).toContain('conservation');
    expect([...r.search.found!.struck.keys()].some((k) => k.startsWith('clock-read|'))).toBe(true);
    expect(r.search.found!.windows!.some((w) => w.lateReadMs === 100)).toBe(true);
    expect(r.confirmed).toBe(true);
  });

  it('a threshold past the latest time the reply can arrive: no violation, every execution judged', () => {
    const r = exploreStrategy(scenario(), lateSeller(101));
    expect(r.violations).toEqual([]);
    expect(r.search.exhausted).toBe(true);
  });
});
