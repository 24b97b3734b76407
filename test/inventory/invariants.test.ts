// Each invariant judged on hand-built ledgers, with no simulator: a state that must break it
// (and exactly what the violation says) and a near miss that must not. These are the tests
// that `npm run mutate` holds to account (docs/testing.md).
import { describe, expect, it } from 'vitest';
import { checkInvariants, joinAnd, listSome, sortIds, type InvariantName, type JudgedState, type Violation } from '../../src/inventory/invariants.js';
import type { StopReason } from '../../src/sim/world.js';
import { Ledger, soldTwoOfThree } from './ledger.js';

function only(state: JudgedState, invariant: InvariantName, stop: StopReason = 'quiet'): Violation[] {
  return checkInvariants(state, stop).filter((v) => v.invariant === invariant);
}

describe('the calm run the cases start from', () => {
  it('breaks nothing', () => {
    expect(checkInvariants(soldTwoOfThree(), 'quiet')).toEqual([]);
  });
});

describe('no-oversell', () => {
  it('breaks when more units were promised than existed', () => {
    // naive: both read 1, both wrote 0, both told ORDER_PLACED
    const s = new Ledger().item('vase', 1, 0).sell('vase', 1, 'o1', 'o2').order('o1', 'ORDER_PLACED').order('o2', 'ORDER_PLACED');
    expect(only(s, 'no-oversell')).toEqual([{
      invariant: 'no-oversell',
      message: '2 orders (2 × vase) were told ORDER_PLACED, but only 1 was in stock: 1 sold that does not exist.',
      orders: ['o1', 'o2'],
      units: [],
    }]);
  });

  it('counts quantities, and one order over its item once even on several lines', () => {
    const s = new Ledger().item('vase', 2, 0).item('bowl', 5)
      .order('o1', 'ORDER_PLACED', { lines: [{ item: 'vase', qty: 2 }, { item: 'bowl', qty: 1 }, { item: 'vase', qty: 2 }] });
    expect(only(s, 'no-oversell')).toEqual([{
      invariant: 'no-oversell',
      message: '1 order (4 × vase) were told ORDER_PLACED, but only 2 were in stock: 2 sold that do not exist.',
      orders: ['o1'],
      units: [],
    }]);
  });

  it('holds when exactly the stock was promised, and orders not told ORDER_PLACED do not count', () => {
    const s = soldTwoOfThree().sell('vase', 1, 'o4').counter('vase', 0).order('o4', 'ORDER_PLACED').charge('o4')
      .order('o5', 'OUT_OF_STOCK').order('o6', null, { reason: 'app1 crashed mid-order' });
    expect(checkInvariants(s, 'quiet')).toEqual([]);
  });

  it('judges each item on its own stock', () => {
    const s = new Ledger().item('vase', 1, 0).item('bowl', 1, 0).sell('vase', 1, 'o1').sell('bowl', 1, 'o2')
      .order('o1', 'ORDER_PLACED').order('o2', 'ORDER_PLACED', { lines: [{ item: 'bowl', qty: 1 }] });
    expect(checkInvariants(s, 'quiet')).toEqual([]);
    s.order('o3', 'ORDER_PLACED', { lines: [{ item: 'bowl', qty: 1 }] });
    expect(only(s, 'no-oversell').map((v) => v.message)).toEqual(['2 orders (2 × bowl) were told ORDER_PLACED, but only 1 was in stock: 1 sold that does not exist.']);
  });
});

describe('a violation whose words are written when read (no-oversell, unique-units)', () => {
  it('reads as a plain violation: message an own enumerable property in its place, in keys, JSON, spreads and clones', () => {
    const s = new Ledger().item('vase', 1, 0).sell('vase', 1, 'o1', 'o2').order('o1', 'ORDER_PLACED').order('o2', 'ORDER_PLACED');
    const found = checkInvariants(s, 'quiet');
    const over = found.find((v) => v.invariant === 'no-oversell')!;
    const twice = found.find((v) => v.invariant === 'unique-units')!;
    for (const v of [over, twice]) {
      expect(Object.keys(v)).toEqual(['invariant', 'message', 'orders', 'units']);
      expect(Object.getOwnPropertyDescriptor(v, 'message')?.enumerable).toBe(true);
      expect(JSON.stringify(v)).toBe(JSON.stringify({ invariant: v.invariant, message: v.message, orders: v.orders, units: v.units }));
      expect({ ...v }).toStrictEqual({ invariant: v.invariant, message: v.message, orders: [...v.orders], units: [...v.units] });
      expect(structuredClone(v)).toStrictEqual({ ...v });
    }
    expect(JSON.parse(JSON.stringify(twice))).toEqual({ invariant: 'unique-units', message: 'vase#1 went to o1 and o2.', orders: ['o1', 'o2'], units: ['vase#1'] });
  });
});

describe('unique-units', () => {
  it('breaks when one unit went to two orders, and names it', () => {
    const s = soldTwoOfThree().sell('vase', 3, 'o10');
    expect(only(s, 'unique-units')).toEqual([{ invariant: 'unique-units', message: 'vase#3 went to o1 and o10.', orders: ['o1', 'o10'], units: ['vase#3'] }]);
  });

  it('lists at most three units, highest first, and many owners in short', () => {
    const s = new Ledger().item('vase', 5, 0);
    for (let n = 1; n <= 5; n++) s.sell('vase', n, 'o1', 'o2');
    s.sell('vase', 5, 'o3', 'o4', 'o5');
    const [v] = only(s, 'unique-units');
    expect(v.message).toBe('vase#5 went to 5 different orders (o1, o2, o3 and 2 more); vase#4 went to o1 and o2; vase#3 went to o1 and o2 (and 2 more units sold twice).');
    expect(v.units).toEqual(['vase#5', 'vase#4', 'vase#3', 'vase#2', 'vase#1']);
    expect(v.orders).toEqual(['o1', 'o2', 'o3', 'o4', 'o5']);
    s.sell('vase', 2, 'o9').sell('vase', 1, 'o9');
    expect(only(s, 'unique-units')[0].message).toContain('vase#3 went to o1 and o2 (and 2 more units sold twice).');
  });

  it('says "unit" for one more', () => {
    const s = new Ledger().item('vase', 4, 0);
    for (let n = 1; n <= 4; n++) s.sell('vase', n, 'o1', 'o2');
    expect(only(s, 'unique-units')[0].message).toMatch(/ \(and 1 more unit sold twice\)\.$/);
  });

  it('holds when the same order is recorded twice on one unit (a retried, deduplicated request)', () => {
    const s = soldTwoOfThree().sell('vase', 3, 'o1');
    expect(checkInvariants(s, 'quiet')).toEqual([]);
  });

  it('judges each item on its own', () => {
    const s = new Ledger().item('vase', 1, 0).item('bowl', 1, 0).sell('vase', 1, 'o1').sell('bowl', 1, 'o1', 'o2')
      .order('o1', 'ORDER_PLACED', { lines: [{ item: 'vase', qty: 1 }, { item: 'bowl', qty: 1 }] })
      .order('o2', 'ORDER_PLACED', { lines: [{ item: 'bowl', qty: 1 }] });
    expect(only(s, 'unique-units')).toEqual([{ invariant: 'unique-units', message: 'bowl#1 went to o1 and o2.', orders: ['o1', 'o2'], units: ['bowl#1'] }]);
  });
});

describe('conservation', () => {
  it('breaks when a write put back stock that was already sold', () => {
    const s = soldTwoOfThree().counter('vase', 2);
    expect(only(s, 'conservation')).toEqual([{
      invariant: 'conservation',
      message: 'the vase counter says 2 left, but the units say 1 (3 in stock, 2 sold, 0 reserved): a write put back stock that had already been sold.',
      orders: [],
      units: [],
    }]);
  });

  it('breaks when stock was taken that no order holds', () => {
    const s = soldTwoOfThree().counter('vase', 0);
    expect(only(s, 'conservation').map((v) => v.message)).toEqual([
      'the vase counter says 0 left, but the units say 1 (3 in stock, 2 sold, 0 reserved): stock was taken that no order holds.',
    ]);
  });

  it('counts reserved units as taken, and a sold unit once even while its reservation still names it', () => {
    const s = soldTwoOfThree().hold('vase', 3, 'r1').hold('vase', 1, 'r3').counter('vase', 0);
    expect(only(s, 'conservation')).toEqual([]);
    s.counter('vase', 1);
    expect(only(s, 'conservation').map((v) => v.message)).toEqual([
      'the vase counter says 1 left, but the units say 0 (3 in stock, 2 sold, 1 reserved): a write put back stock that had already been sold.',
    ]);
  });

  it('balances units sold below zero against a negative counter (the books balance; no-oversell says the rest)', () => {
    const s = soldTwoOfThree().sell('vase', 1, 'o3').phantom('vase', 2).counter('vase', -2);
    expect(only(s, 'conservation')).toEqual([]);
    s.counter('vase', -1);
    expect(only(s, 'conservation').map((v) => v.message)).toEqual([
      'the vase counter says -1 left, but the units say -2 (3 in stock, 3 sold, 0 reserved): a write put back stock that had already been sold.',
    ]);
  });

  it('counts a unit sold twice once', () => {
    const s = soldTwoOfThree().sell('vase', 3, 'o4');
    expect(only(s, 'conservation')).toEqual([]);
  });
});

describe('acknowledged-is-sold', () => {
  it('breaks when an order told ORDER_PLACED holds nothing', () => {
    const s = soldTwoOfThree().order('o4', 'ORDER_PLACED').charge('o4');
    expect(only(s, 'acknowledged-is-sold')).toEqual([{ invariant: 'acknowledged-is-sold', message: 'o4 was told ORDER_PLACED but holds no vase.', orders: ['o4'], units: [] }]);
  });

  it('breaks when an order told ORDER_PLACED holds fewer units than it ordered', () => {
    const s = new Ledger().item('vase', 3, 1).sell('vase', 3, 'o1').sell('vase', 2, 'o2')
      .order('o1', 'ORDER_PLACED', { lines: [{ item: 'vase', qty: 2 }] }).order('o2', 'ORDER_PLACED');
    expect(only(s, 'acknowledged-is-sold')).toEqual([{ invariant: 'acknowledged-is-sold', message: 'o1 was told ORDER_PLACED but holds only vase#3.', orders: ['o1'], units: ['vase#3'] }]);
    const three = new Ledger().item('vase', 3, 1).sell('vase', 3, 'o1').sell('vase', 2, 'o1').order('o1', 'ORDER_PLACED', { lines: [{ item: 'vase', qty: 3 }] });
    expect(only(three, 'acknowledged-is-sold')[0].message).toBe('o1 was told ORDER_PLACED but holds only vase#2, vase#3.');
  });

  it('breaks when an order holds more units than it ordered (a retry applied twice)', () => {
    const s = soldTwoOfThree().sell('vase', 1, 'o1').counter('vase', 0);
    expect(only(s, 'acknowledged-is-sold')).toEqual([{
      invariant: 'acknowledged-is-sold',
      message: 'o1 ordered 1 × vase but holds 2 (vase#1, vase#3).',
      orders: ['o1'],
      units: ['vase#1', 'vase#3'],
    }]);
  });

  it('breaks when an order told something else was sold units', () => {
    const one = soldTwoOfThree().sell('vase', 1, 'o3').counter('vase', 0);
    expect(only(one, 'acknowledged-is-sold').map((v) => v.message)).toEqual(['o3 was told FAILED but vase#1 was sold to it.']);
    const two = new Ledger().item('vase', 1, 0).item('bowl', 1, 0).sell('vase', 1, 'o1').sell('bowl', 1, 'o1')
      .order('o1', 'OUT_OF_STOCK', { lines: [{ item: 'vase', qty: 1 }, { item: 'bowl', qty: 1 }] });
    expect(only(two, 'acknowledged-is-sold')).toEqual([{
      invariant: 'acknowledged-is-sold',
      message: 'o1 was told OUT_OF_STOCK but vase#1, bowl#1 were sold to it.',
      orders: ['o1'],
      units: ['vase#1', 'bowl#1'],
    }]);
  });

  it('breaks when a unit is sold to an order this run never had', () => {
    const s = soldTwoOfThree().sell('vase', 1, 'o9').counter('vase', 0);
    expect(only(s, 'acknowledged-is-sold')).toEqual([{ invariant: 'acknowledged-is-sold', message: 'vase#1 is sold to no order of this run.', orders: [], units: ['vase#1'] }]);
    const two = new Ledger().item('vase', 2, 0).sell('vase', 1, 'o8').sell('vase', 2, 'o9');
    expect(only(two, 'acknowledged-is-sold')[0].message).toBe('vase#1, vase#2 are sold to no order of this run.');
  });

  it('shows three problems and counts the rest', () => {
    const s = new Ledger().item('vase', 5, 5);
    for (const o of ['o1', 'o2', 'o3', 'o4', 'o5']) s.order(o, 'ORDER_PLACED');
    const [v] = only(s, 'acknowledged-is-sold');
    expect(v.message).toBe('o1 was told ORDER_PLACED but holds no vase; o2 was told ORDER_PLACED but holds no vase; o3 was told ORDER_PLACED but holds no vase (and 2 more).');
    expect(v.orders).toEqual(['o1', 'o2', 'o3', 'o4', 'o5']);
    const exactly = new Ledger().item('vase', 3, 3).order('o1', 'ORDER_PLACED').order('o2', 'ORDER_PLACED').order('o3', 'ORDER_PLACED');
    expect(only(exactly, 'acknowledged-is-sold')[0].message).toMatch(/o3 was told ORDER_PLACED but holds no vase\.$/);
  });

  it('holds for an order that never heard back but got its unit, and a cart naming one item on two lines', () => {
    const s = soldTwoOfThree().sell('vase', 1, 'o4').counter('vase', 0).order('o4', null, { reason: 'app1 crashed mid-order' }).charge('o4');
    expect(checkInvariants(s, 'quiet')).toEqual([]);
    const cart = new Ledger().item('vase', 2, 0).sell('vase', 1, 'o1').sell('vase', 2, 'o1')
      .order('o1', 'ORDER_PLACED', { lines: [{ item: 'vase', qty: 1 }, { item: 'vase', qty: 1 }] });
    expect(checkInvariants(cart, 'quiet')).toEqual([]);
  });
});

describe('no-leak', () => {
  it('breaks when a reservation is still held after the run went quiet', () => {
    const s = soldTwoOfThree().hold('vase', 1, 'r3').counter('vase', 0).reservation('r3', 'o3', ['vase#1'], 'held');
    expect(only(s, 'no-leak')).toEqual([{
      invariant: 'no-leak',
      message: 'vase#1 is still reserved (by o3) after the run went quiet: nothing will ever sell it.',
      orders: ['o3'],
      units: ['vase#1'],
    }]);
    s.reservation('r4', 'o4', ['vase#2'], 'held');
    expect(only(s, 'no-leak')[0].message).toBe('vase#1 and vase#2 are still reserved (by o3 and o4) after the run went quiet: nothing will ever sell them.');
  });

  it('holds when every reservation ended, and is not judged when the run hit a limit', () => {
    const s = soldTwoOfThree().reservation('r1', 'o1', ['vase#3'], 'confirmed').reservation('r3', 'o3', ['vase#1'], 'released').reservation('r4', 'o4', ['vase#1'], 'expired');
    expect(checkInvariants(s, 'quiet')).toEqual([]);
    const limited = soldTwoOfThree().hold('vase', 1, 'r3').counter('vase', 0).reservation('r3', 'o3', ['vase#1'], 'held');
    expect(only(limited, 'no-leak', 'event-limit')).toEqual([]);
    expect(only(limited, 'no-leak', 'time-limit')).toEqual([]);
  });

  it('breaks at a limit too when nothing will ever end the reservation: its order is over and no lease at the primary runs', () => {
    const s = soldTwoOfThree().hold('vase', 1, 'r3').counter('vase', 0).reservation('r3', 'o3', ['vase#1'], 'held', { token: 4, clientDeadlineMs: 9000 });
    expect(only(s, 'no-leak', 'time-limit')).toEqual([{
      invariant: 'no-leak',
      message: "vase#1 held by o3 (r3 since seq 4), no lease at the primary (a deadline of 9000 ms on o3's own clock); o3 answered FAILED: the run hit its virtual-time limit with it still reserved, and nothing will ever sell it.",
      orders: ['o3'],
      units: ['vase#1'],
    }]);
    // a lease the primary counts, already past
    const past = soldTwoOfThree().hold('vase', 1, 'r3').counter('vase', 0).reservation('r3', 'o3', ['vase#1'], 'held', { token: 4, expiresAtSeq: 9 });
    past.seq = 9;
    expect(only(past, 'no-leak', 'event-limit')[0].message).toMatch(/^vase#1 held by o3 \(r3 since seq 4\), its lease past \(seq 9, now 9\); o3 answered FAILED: the run hit its event limit/);
  });

  it('holds at a limit while the lease still runs or the order is still running (near misses)', () => {
    const running = soldTwoOfThree().hold('vase', 1, 'r4').counter('vase', 0).order('o4', null, { reason: 'still running when the run hit its time limit (600000 ms)' })
      .reservation('r4', 'o4', ['vase#1'], 'held', { token: 4, clientDeadlineMs: 9000 });
    expect(only(running, 'no-leak', 'time-limit')).toEqual([]);
    const leased = soldTwoOfThree().hold('vase', 1, 'r3').counter('vase', 0).reservation('r3', 'o3', ['vase#1'], 'held', { token: 4, expiresAtSeq: 10 });
    leased.seq = 9;
    expect(only(leased, 'no-leak', 'time-limit')).toEqual([]);
  });
});

describe('charged-once', () => {
  it('breaks when an order was charged twice', () => {
    const s = soldTwoOfThree().charge('o3', true).charge('o1');
    expect(only(s, 'charged-once')).toEqual([{ invariant: 'charged-once', message: 'o1 was charged 2 times (ch1, ch4).', orders: ['o1'], units: [] }]);
    // a double charge is a fact even when the run hit a limit
    expect(only(s, 'charged-once', 'event-limit')).toHaveLength(1);
  });

  it('breaks when an order was charged, got nothing and was not refunded', () => {
    const s = soldTwoOfThree().charge('o3');
    expect(only(s, 'charged-once')).toEqual([{ invariant: 'charged-once', message: 'o3 was charged (ch3) but got no vase and no refund.', orders: ['o3'], units: [] }]);
  });

  it('shows three problems and counts the rest', () => {
    const s = new Ledger().item('vase', 1);
    for (const o of ['o1', 'o2', 'o3', 'o4']) s.order(o, 'FAILED').charge(o);
    const [v] = only(s, 'charged-once');
    expect(v.message).toMatch(/^o1 was charged \(ch1\) but got no vase and no refund; o2 .*; o3 was charged \(ch3\) but got no vase and no refund \(and 1 more\)\.$/);
    expect(v.orders).toEqual(['o1', 'o2', 'o3', 'o4']);
    const exactly = new Ledger().item('vase', 1);
    for (const o of ['o1', 'o2', 'o3']) exactly.order(o, 'FAILED').charge(o);
    expect(only(exactly, 'charged-once')[0].message).toMatch(/o3 was charged \(ch3\) but got no vase and no refund\.$/);
  });

  it('breaks when a charge names an order this run never had', () => {
    const s = soldTwoOfThree().charge('o9');
    expect(only(s, 'charged-once').map((v) => v.message)).toEqual(['o9 was charged (ch3) but got no vase and no refund.']);
  });

  it('holds when the second charge was refunded, or the unlucky charge was', () => {
    expect(checkInvariants(soldTwoOfThree().charge('o1', true).charge('o3', true), 'quiet')).toEqual([]);
  });

  it('holds for a charged order that got its unit whatever it was told, and is not judged for refunds before the run went quiet', () => {
    // o4 never heard back but holds vase#1: charging it was right
    const s = soldTwoOfThree().sell('vase', 1, 'o4').counter('vase', 0).order('o4', null, { reason: 'app1 crashed mid-order' }).charge('o4');
    expect(only(s, 'charged-once')).toEqual([]);
    // a placed order that holds nothing is acknowledged-is-sold's finding, not a missing refund
    const placed = soldTwoOfThree().order('o4', 'ORDER_PLACED').charge('o4');
    expect(only(placed, 'charged-once')).toEqual([]);
    // the refund may still be on its way when a run is cut off
    expect(only(soldTwoOfThree().charge('o3'), 'charged-once', 'time-limit')).toEqual([]);
  });

  it('looks for the unit in every item', () => {
    const s = new Ledger().item('vase', 1).item('bowl', 1, 0).sell('bowl', 1, 'o1')
      .order('o1', 'ORDER_PLACED', { lines: [{ item: 'bowl', qty: 1 }] }).charge('o1');
    expect(checkInvariants(s, 'quiet')).toEqual([]);
    // never heard back, but holds a bowl (and no vase): charging it was right
    const unknown = new Ledger().item('vase', 1).item('bowl', 1, 0).sell('bowl', 1, 'o1')
      .order('o1', null, { lines: [{ item: 'bowl', qty: 1 }], reason: 'app1 crashed mid-order' }).charge('o1');
    expect(checkInvariants(unknown, 'quiet')).toEqual([]);
  });
});

describe('liveness', () => {
  it('breaks when the run hit its event limit or its virtual-time limit', () => {
    const s = soldTwoOfThree();
    expect(only(s, 'liveness', 'event-limit')).toEqual([{ invariant: 'liveness', message: 'the run did not go quiet: it hit its event limit.', orders: [], units: [] }]);
    expect(only(s, 'liveness', 'time-limit').map((v) => v.message)).toEqual(['the run did not go quiet: it hit its virtual-time limit.']);
  });

  it('names the orders still running, five at most', () => {
    const s = soldTwoOfThree().order('o4', null, { reason: 'still running at 60000 ms' }).order('o5', null, { reason: 'app1 crashed mid-order' });
    expect(only(s, 'liveness', 'time-limit')).toEqual([{
      invariant: 'liveness',
      message: 'the run did not go quiet: it hit its virtual-time limit with o4 still running (an endless retry or polling loop?).',
      orders: ['o4'],
      units: [],
    }]);
    for (const o of ['o6', 'o7', 'o8', 'o9']) s.order(o, null, { reason: 'still running at 60000 ms' });
    expect(only(s, 'liveness', 'event-limit')[0].message).toBe('the run did not go quiet: it hit its event limit with o4, o6, o7, o8 and o9 still running (an endless retry or polling loop?).');
    s.order('o10', null, { reason: 'still running at 60000 ms' });
    const [v] = only(s, 'liveness', 'event-limit');
    expect(v.message).toBe('the run did not go quiet: it hit its event limit with o4, o6, o7, o8 and o9 and others still running (an endless retry or polling loop?).');
    expect(v.orders).toEqual(['o4', 'o6', 'o7', 'o8', 'o9', 'o10']);
  });

  it('holds when the run went quiet, even with an order that never answered', () => {
    const s = soldTwoOfThree().order('o4', null, { reason: 'still running at 60000 ms' });
    expect(checkInvariants(s, 'quiet')).toEqual([]);
  });

  it('does not count an answered order as still running', () => {
    const s = soldTwoOfThree().order('o4', 'FAILED', { reason: 'still running at 60000 ms' });
    expect(only(s, 'liveness', 'event-limit')[0].orders).toEqual([]);
  });
});

describe('strategy-error', () => {
  it('breaks when placeOrder threw, naming the first and counting the rest', () => {
    const s = soldTwoOfThree().order('o4', null, { reason: 'the strategy failed', error: 'placeOrder threw "boom"' });
    expect(only(s, 'strategy-error')).toEqual([{ invariant: 'strategy-error', message: 'o4\'s placeOrder threw "boom".', orders: ['o4'], units: [] }]);
    s.order('o5', null, { error: 'placeOrder threw "bang"' });
    expect(only(s, 'strategy-error')[0].message).toBe('o4\'s placeOrder threw "boom" (and 1 more order failed the same way or worse).');
    s.order('o6', null, { error: 'placeOrder threw "bang"' });
    const [v] = only(s, 'strategy-error');
    expect(v.message).toBe('o4\'s placeOrder threw "boom" (and 2 more orders failed the same way or worse).');
    expect(v.orders).toEqual(['o4', 'o5', 'o6']);
  });

  it('is judged whether or not the run went quiet', () => {
    const s = soldTwoOfThree().order('o4', null, { error: 'placeOrder threw "boom"' });
    expect(checkInvariants(s, 'event-limit').map((v) => v.invariant)).toEqual(['liveness', 'strategy-error']);
  });

  it('holds when an order failed without the strategy failing', () => {
    const s = soldTwoOfThree().order('o4', null, { reason: 'app1 crashed mid-order' });
    expect(checkInvariants(s, 'quiet')).toEqual([]);
  });
});

describe('every invariant at once', () => {
  it('reports in a fixed order, one violation per broken invariant', () => {
    const s = new Ledger().item('vase', 1, 1)
      .sell('vase', 1, 'o1', 'o2')
      .hold('vase', 1, 'r1')
      .reservation('r1', 'o3', ['vase#1'], 'held')
      .order('o1', 'ORDER_PLACED').order('o2', 'ORDER_PLACED').order('o3', 'FAILED').order('o4', null, { error: 'placeOrder threw "x"' })
      .charge('o3').charge('o3');
    expect(checkInvariants(s, 'quiet').map((v) => v.invariant)).toEqual(['no-oversell', 'unique-units', 'conservation', 'no-leak', 'charged-once', 'strategy-error']);
  });
});

describe('wording helpers', () => {
  it('joinAnd: "", "a", "a and b", "a, b and c"', () => {
    expect(joinAnd([])).toBe('');
    expect(joinAnd(['a'])).toBe('a');
    expect(joinAnd(['a', 'b'])).toBe('a and b');
    expect(joinAnd(['a', 'b', 'c'])).toBe('a, b and c');
  });

  it('listSome: all of them up to the limit, then the first three and a count', () => {
    expect(listSome(['o1', 'o2', 'o3', 'o4'], 4)).toBe('o1, o2, o3 and o4');
    expect(listSome(['o1', 'o2', 'o3', 'o4', 'o5'], 4)).toBe('5 different orders (o1, o2, o3 and 2 more)');
  });

  it('sortIds orders ids by their numbers', () => {
    expect(sortIds(['o10', 'o2', 'o1'])).toEqual(['o1', 'o2', 'o10']);
  });
});
