import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { runOnce, builtinStrategy } from '../../src/explore/run.js';

/**
 * A run's long-lived records are made by classes rather than literals (so that V8's default
 * pretenuring leaves them young: src/sim/untracked.ts). What reads them as plain data (JSON in
 * reports, spreads, Object.keys) must see the fields the literals had, in the same order.
 */
describe('run-long records keep the fields of the literals they replace', () => {
  const r = loadScenarioFile('scenarios/flash-sale-chaos.json');
  if (!r.ok) throw new Error(JSON.stringify(r.problems[0]));

  it('orders, lines, items, log entries and charges list their own fields in declaration order', () => {
    const { world } = runOnce(r.scenario, { seed: 7, strategy: builtinStrategy('reservation') });
    const rec = world.orders[0];
    expect(Object.keys(rec)).toEqual(['order', 'status', 'answer', 'reason', 'error', 'startMs', 'endMs']);
    expect(Object.keys(rec.order)).toEqual(['id', 'app', 'atMs', 'lines']);
    expect(Object.keys(rec.order.lines[0])).toEqual(['item', 'qty']);
    const it0 = [...world.db.items.values()][0];
    expect(Object.keys(it0)).toEqual(['id', 'initial', 'stock', 'version', 'highestToken', 'owners', 'reservedBy', 'phantomUnits']);
    expect(Object.keys(world.db.log[0])).toEqual(['seq', 'item', 'stock', 'version']);
    const charge = world.payments.charges[0];
    expect(Object.keys(charge)).toEqual(['chargeId', 'order', 'amount', 'idempotencyKey', 'refunded']);
    expect(JSON.parse(JSON.stringify(rec.order))).toEqual({ id: rec.order.id, app: rec.order.app, atMs: rec.order.atMs, lines: rec.order.lines.map((l) => ({ item: l.item, qty: l.qty })) });
  });
});
