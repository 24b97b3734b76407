// Reservations at the primary (src/inventory/reservations.ts) on engines built by hand: which
// units a reservation holds, its lease in the primary's sequence number and its fencing token,
// how it ends (confirmed, released, expired, reaped by another machine's clock), and what each
// step reports and commits. Leases are counted in `seq`, so every test counts sequence numbers.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engine, ownersOf, reservedOf } from './engine.js';

const vase = (qty: number) => [{ item: 'vase', qty }];

describe('reserve', () => {
  it('holds the highest free units under a lease counted in sequence numbers, with the grant\'s sequence number as its token', () => {
    const e = engine({ vase: 3 });
    expect(e.db.apply('reserve', { lines: vase(2), order: 'o1', reservationId: 'r1', leaseTicks: 5, app: 'app1' }))
      .toEqual({ ok: true, reservationId: 'r1', units: ['vase#3', 'vase#2'], token: 1, expiresAtSeq: 6 });
    expect(e.db.seq).toBe(1);
    expect(e.item('vase')).toMatchObject({ stock: 1, version: 1 });
    expect(reservedOf(e.item('vase'))).toEqual([null, 'r1', 'r1']);
    expect(ownersOf(e.item('vase'))).toEqual([[], [], []]);
    expect(e.db.reservations.get('r1')).toEqual({
      id: 'r1', order: 'o1', app: 'app1', lines: vase(2), units: ['vase#3', 'vase#2'], token: 1, expiresAtSeq: 6, state: 'held',
    });
    expect(e.events).toEqual([{ op: 'reserve', order: 'o1', detail: { reservationId: 'r1', units: ['vase#3', 'vase#2'], token: 1, expiresAtSeq: 6 } }]);
    // The counter moved: replicas see it, at the grant's sequence number.
    expect(e.commits).toEqual([{ seq: 1, item: 'vase', stock: 1, version: 1 }]);
    expect(e.db.heldCount()).toBe(1);
  });

  it('one grant, one sequence number: every line moves its counter and is logged at it', () => {
    const e = engine({ vase: 3, bowl: 1 });
    const lines = [{ item: 'vase', qty: 1 }, { item: 'bowl', qty: 1 }, { item: 'vase', qty: 1 }];
    expect(e.db.apply('reserve', { lines, order: 'o1', reservationId: 'r1', leaseTicks: 2 }))
      .toEqual({ ok: true, reservationId: 'r1', units: ['vase#3', 'bowl#1', 'vase#2'], token: 1, expiresAtSeq: 3 });
    expect(e.commits).toEqual([
      { seq: 1, item: 'vase', stock: 2, version: 1 },
      { seq: 1, item: 'bowl', stock: 0, version: 1 },
      { seq: 1, item: 'vase', stock: 1, version: 2 },
    ]);
  });

  it('skips units that are sold or held by another reservation, down to vase#1', () => {
    const e = engine({ vase: 3 });
    e.db.apply('write', { item: 'vase', stock: 2, qty: 1, order: 'o1' }); // vase#3 sold
    expect(e.db.apply('reserve', { lines: vase(1), order: 'o2', reservationId: 'r2', leaseTicks: 9 })).toMatchObject({ units: ['vase#2'] });
    expect(e.db.apply('reserve', { lines: vase(1), order: 'o3', reservationId: 'r3', leaseTicks: 9 })).toMatchObject({ units: ['vase#1'] });
    expect(reservedOf(e.item('vase'))).toEqual(['r3', 'r2', null]);
  });

  it('holds only the units that are free when the counter promises more (after a naive write put it back up)', () => {
    const e = engine({ vase: 3 });
    e.db.apply('write', { item: 'vase', stock: 2, qty: 1, order: 'o1' });
    e.db.apply('write', { item: 'vase', stock: 3, qty: 0, order: 'o1' }); // the counter says 3, vase#3 is sold
    expect(e.db.apply('reserve', { lines: vase(3), order: 'o2', reservationId: 'r2', leaseTicks: 9 }))
      .toMatchObject({ ok: true, units: ['vase#2', 'vase#1'] });
    expect(e.item('vase').stock).toBe(0);
  });

  it('exactly the stock left is enough; more on any line is refused, naming the item, and holds nothing', () => {
    const e = engine({ vase: 3, bowl: 1 });
    const lines = [{ item: 'vase', qty: 1 }, { item: 'bowl', qty: 2 }];
    expect(e.db.apply('reserve', { lines, order: 'o1', reservationId: 'r1', leaseTicks: 5 }))
      .toEqual({ ok: false, reason: 'insufficient', item: 'bowl', stock: 1 });
    expect(e.events).toEqual([{ op: 'reserve-refused', order: 'o1', detail: { item: 'bowl', stock: 1, qty: 2 } }]);
    expect(e.db.seq).toBe(0);
    expect(e.commits).toEqual([]);
    expect(e.db.reservations.size).toBe(0);
    expect(reservedOf(e.item('vase'))).toEqual([null, null, null]);
    expect(e.db.apply('reserve', { lines: [{ item: 'bowl', qty: 1 }], order: 'o1', reservationId: 'r2', leaseTicks: 5 })).toMatchObject({ ok: true, units: ['bowl#1'] });
  });

  it('a retry of a held or confirmed reservation answers the same grant and holds nothing more', () => {
    const e = engine({ vase: 3 });
    const req = { lines: vase(1), order: 'o1', reservationId: 'r1', leaseTicks: 5 };
    const grant = { ok: true, reservationId: 'r1', units: ['vase#3'], token: 1, expiresAtSeq: 6 };
    expect(e.db.apply('reserve', req)).toEqual(grant);
    e.clear();
    expect(e.db.apply('reserve', req)).toEqual(grant);
    e.db.apply('confirm', { reservationId: 'r1', token: 1 });
    e.clear();
    expect(e.db.apply('reserve', req)).toEqual(grant);
    expect(e.events).toEqual([]);
    expect(e.db.seq).toBe(2);
    expect(e.item('vase').stock).toBe(2);
  });

  it('a retry of a released or expired reservation is a bad request: its units may be gone', () => {
    const e = engine({ vase: 3 });
    e.db.apply('reserve', { lines: vase(1), order: 'o1', reservationId: 'r1', leaseTicks: 5 });
    e.db.apply('release', { reservationId: 'r1' });
    expect(e.db.apply('reserve', { lines: vase(1), order: 'o1', reservationId: 'r1', leaseTicks: 5 }))
      .toEqual({ ok: false, reason: 'bad-request', message: 'reserve: reservation r1 was released; use a new id' });
    e.db.apply('reserve', { lines: vase(1), order: 'o2', reservationId: 'r2', leaseTicks: 1 });
    e.db.tick();
    expect(e.db.apply('reserve', { lines: vase(1), order: 'o2', reservationId: 'r2', leaseTicks: 1 }))
      .toEqual({ ok: false, reason: 'bad-request', message: 'reserve: reservation r2 was expired; use a new id' });
    expect(e.item('vase').stock).toBe(3);
  });
});

describe('leases', () => {
  it('a lease ends when the sequence number reaches it: the units go back to stock and to the log', () => {
    const e = engine({ vase: 3 });
    e.db.apply('reserve', { lines: vase(2), order: 'o1', reservationId: 'r1', leaseTicks: 2 }); // seq 1, expires at 3
    e.clear();
    e.db.tick();
    expect(e.db.reservations.get('r1')!.state).toBe('held');
    expect(e.db.heldCount()).toBe(1);
    e.db.tick();
    expect(e.db.seq).toBe(3);
    expect(e.db.reservations.get('r1')!.state).toBe('expired');
    expect(e.events).toEqual([{ op: 'expire', order: 'o1', detail: { reservationId: 'r1', units: ['vase#3', 'vase#2'] } }]);
    expect(e.item('vase')).toMatchObject({ stock: 3, version: 2 });
    expect(reservedOf(e.item('vase'))).toEqual([null, null, null]);
    expect(e.commits).toEqual([{ seq: 3, item: 'vase', stock: 3, version: 2 }]);
    expect(e.db.heldCount()).toBe(0);
  });

  it('any commit moves the sequence number and so can end a lease', () => {
    const e = engine({ vase: 3 });
    e.db.apply('reserve', { lines: vase(1), order: 'o1', reservationId: 'r1', leaseTicks: 1 }); // expires at 2
    e.clear();
    e.db.apply('write', { item: 'vase', stock: 1, qty: 1, order: 'o2' });
    expect(e.events.map((x) => x.op)).toEqual(['write', 'expire']);
    expect(e.db.reservations.get('r1')!.state).toBe('expired');
  });

  it('a reserve, a confirm or a release that moves the sequence number ends the leases it reaches', () => {
    for (const [op, body] of [
      ['reserve', { lines: vase(1), order: 'o3', reservationId: 'r3', leaseTicks: 5 }],
      ['confirm', { reservationId: 'r1', token: 1 }],
      ['release', { reservationId: 'r1' }],
    ] as const) {
      const e = engine({ vase: 3 });
      e.db.apply('reserve', { lines: vase(1), order: 'o1', reservationId: 'r1', leaseTicks: 5 }); // seq 1
      e.db.apply('reserve', { lines: vase(1), order: 'o2', reservationId: 'r2', leaseTicks: 1 }); // seq 2, expires at 3
      e.clear();
      e.db.apply(op, body);
      expect(e.db.seq, op).toBe(3);
      expect(e.db.reservations.get('r2')!.state, op).toBe('expired');
      expect(e.events.at(-1), op).toEqual({ op: 'expire', order: 'o2', detail: { reservationId: 'r2', units: ['vase#2'] } });
    }
  });

  it('counts for the primary\'s tick only the reservations it can still expire', () => {
    const e = engine({ vase: 5 });
    e.db.apply('reserve', { lines: vase(1), order: 'o1', reservationId: 'r1', leaseTicks: 50 });
    e.db.apply('reserve', { lines: vase(1), order: 'o2', reservationId: 'r2', leaseTicks: 50 });
    e.db.apply('reserve', { lines: vase(1), order: 'o3', reservationId: 'r3', leaseTicks: 50 });
    e.db.apply('reserve', { lines: vase(1), order: 'o4', reservationId: 'w4', clientNowMs: 0, clientDeadlineMs: 10 });
    expect(e.db.heldCount()).toBe(3);
    e.db.apply('confirm', { reservationId: 'r1', token: 1 });
    e.db.apply('release', { reservationId: 'r2' });
    expect(e.db.heldCount()).toBe(1);
  });
});

describe('confirm (fenced)', () => {
  it('sells the held units to the order: a new sequence number, the units owned and no longer held', () => {
    const e = engine({ vase: 3 });
    e.db.apply('reserve', { lines: vase(1), order: 'o1', reservationId: 'r1', leaseTicks: 5 });
    e.clear();
    expect(e.db.apply('confirm', { reservationId: 'r1', token: 1 })).toEqual({ ok: true, units: ['vase#3'] });
    expect(e.db.seq).toBe(2);
    expect(e.db.reservations.get('r1')!.state).toBe('confirmed');
    expect(ownersOf(e.item('vase'))).toEqual([[], [], ['o1']]);
    expect(reservedOf(e.item('vase'))).toEqual([null, null, null]);
    expect(e.events).toEqual([{ op: 'confirm', order: 'o1', detail: { reservationId: 'r1', units: ['vase#3'] } }]);
    // The counter already moved at the grant; a confirm ships nothing to replicas.
    expect(e.commits).toEqual([]);
    e.clear();
    expect(e.db.apply('confirm', { reservationId: 'r1', token: 1 })).toEqual({ ok: true, units: ['vase#3'] });
    expect(e.db.seq).toBe(2);
    expect(e.events).toEqual([]);
    expect(ownersOf(e.item('vase'))).toEqual([[], [], ['o1']]);
  });

  it('a token that is not the reservation\'s own is stale, whatever its state', () => {
    const e = engine({ vase: 3 });
    e.db.apply('reserve', { lines: vase(1), order: 'o1', reservationId: 'r1', leaseTicks: 5 });
    e.clear();
    expect(e.db.apply('confirm', { reservationId: 'r1', token: 2 })).toEqual({ ok: false, reason: 'stale-token' });
    expect(e.db.apply('confirm', { reservationId: 'r1' })).toEqual({ ok: false, reason: 'stale-token' });
    expect(e.events).toEqual([
      { op: 'confirm-refused', order: 'o1', detail: { reservationId: 'r1', reason: 'stale-token', token: 2 } },
      { op: 'confirm-refused', order: 'o1', detail: { reservationId: 'r1', reason: 'stale-token', token: undefined } },
    ]);
    expect(e.db.reservations.get('r1')!.state).toBe('held');
    e.db.apply('release', { reservationId: 'r1' });
    expect(e.db.apply('confirm', { reservationId: 'r1', token: 9 })).toEqual({ ok: false, reason: 'stale-token' });
  });

  it('an expired or released reservation is refused with its state; an unknown one is unknown', () => {
    const e = engine({ vase: 3 });
    e.db.apply('reserve', { lines: vase(1), order: 'o1', reservationId: 'r1', leaseTicks: 1 });
    e.db.tick();
    e.db.apply('reserve', { lines: vase(1), order: 'o2', reservationId: 'r2', leaseTicks: 5 }); // seq 3
    e.db.apply('release', { reservationId: 'r2' });
    e.clear();
    expect(e.db.apply('confirm', { reservationId: 'r1', token: 1 })).toEqual({ ok: false, reason: 'expired' });
    expect(e.db.apply('confirm', { reservationId: 'r2', token: 3 })).toEqual({ ok: false, reason: 'released' });
    expect(e.db.apply('confirm', { reservationId: 'r9', token: 1 })).toEqual({ ok: false, reason: 'unknown' });
    expect(e.events).toEqual([
      { op: 'confirm-refused', order: 'o1', detail: { reservationId: 'r1', reason: 'expired' } },
      { op: 'confirm-refused', order: 'o2', detail: { reservationId: 'r2', reason: 'released' } },
    ]);
    expect(e.db.seq).toBe(4);
    expect(ownersOf(e.item('vase'))).toEqual([[], [], []]);
  });
});

describe('release', () => {
  it('gives a held reservation\'s units back at a new sequence number, every line to the log', () => {
    const e = engine({ vase: 3, bowl: 1 });
    const lines = [{ item: 'vase', qty: 1 }, { item: 'bowl', qty: 1 }];
    e.db.apply('reserve', { lines, order: 'o1', reservationId: 'r1', leaseTicks: 5 });
    e.clear();
    expect(e.db.apply('release', { reservationId: 'r1' })).toEqual({ ok: true, released: ['vase#3', 'bowl#1'] });
    expect(e.db.seq).toBe(2);
    expect(e.db.reservations.get('r1')!.state).toBe('released');
    expect(e.events).toEqual([{ op: 'release', order: 'o1', detail: { reservationId: 'r1', units: ['vase#3', 'bowl#1'] } }]);
    expect(e.commits).toEqual([{ seq: 2, item: 'vase', stock: 3, version: 2 }, { seq: 2, item: 'bowl', stock: 1, version: 2 }]);
    expect(reservedOf(e.item('vase'))).toEqual([null, null, null]);
    expect(reservedOf(e.item('bowl'))).toEqual([null]);
  });

  it('releasing what is no longer held releases nothing; a sold or unknown reservation is refused', () => {
    const e = engine({ vase: 3 });
    e.db.apply('reserve', { lines: vase(1), order: 'o1', reservationId: 'r1', leaseTicks: 5 });
    e.db.apply('release', { reservationId: 'r1' });
    e.db.apply('reserve', { lines: vase(1), order: 'o2', reservationId: 'r2', leaseTicks: 1 });
    e.db.tick();
    e.db.apply('reserve', { lines: vase(1), order: 'o3', reservationId: 'r3', leaseTicks: 5 });
    e.db.apply('confirm', { reservationId: 'r3', token: 5 });
    e.clear();
    const seq = e.db.seq;
    expect(e.db.apply('release', { reservationId: 'r1' })).toEqual({ ok: true, released: [] });
    expect(e.db.apply('release', { reservationId: 'r2' })).toEqual({ ok: true, released: [] });
    expect(e.db.apply('release', { reservationId: 'r3' })).toEqual({ ok: false, reason: 'confirmed' });
    expect(e.db.apply('release', { reservationId: 'r9' })).toEqual({ ok: false, reason: 'unknown' });
    expect(e.events).toEqual([]);
    expect(e.db.seq).toBe(seq);
    expect(e.item('vase').stock).toBe(2);
  });
});

describe('reservations (what an app server holds, for its recovery)', () => {
  it('lists every reservation of one app, in grant order, with its state and units', () => {
    const e = engine({ vase: 3 });
    e.db.apply('reserve', { lines: vase(1), order: 'o1', reservationId: 'r1', leaseTicks: 5, app: 'app1' });
    e.db.apply('reserve', { lines: vase(1), order: 'o2', reservationId: 'r2', leaseTicks: 5, app: 'app2' });
    e.db.apply('reserve', { lines: vase(1), order: 'o3', reservationId: 'r3', leaseTicks: 5, app: 'app1' });
    e.db.apply('confirm', { reservationId: 'r3', token: 3 });
    expect(e.db.apply('reservations', { app: 'app1' })).toEqual({
      ok: true,
      reservations: [
        { reservationId: 'r1', order: 'o1', state: 'held', units: ['vase#3'] },
        { reservationId: 'r3', order: 'o3', state: 'confirmed', units: ['vase#1'] },
      ],
    });
    expect(e.db.apply('reservations', { app: 'app3' })).toEqual({ ok: true, reservations: [] });
  });
});

describe('the wrong design: wall-clock leases', () => {
  const wall = (id: string, order: string, nowMs: number, deadlineMs: number, qty = 1) =>
    ({ lines: vase(qty), order, reservationId: id, clientNowMs: nowMs, clientDeadlineMs: deadlineMs });

  it('a wall-clock reservation carries its owner\'s deadline and never expires by sequence number', () => {
    const e = engine({ vase: 1 });
    const never = Number.MAX_SAFE_INTEGER;
    expect(e.db.apply('reserve', wall('w1', 'o1', 0, 3000))).toEqual({ ok: true, reservationId: 'w1', units: ['vase#1'], token: 1, expiresAtSeq: never });
    expect(e.events).toEqual([{ op: 'reserve', order: 'o1', detail: { reservationId: 'w1', units: ['vase#1'], token: 1, clientDeadlineMs: 3000 } }]);
    expect(e.db.reservations.get('w1')).toMatchObject({ expiresAtSeq: never, clientDeadlineMs: 3000, state: 'held' });
  });

  it('a reserve reaps, at one new sequence number, every held wall-clock reservation whose deadline its caller\'s clock has reached', () => {
    const e = engine({ vase: 5 });
    e.db.apply('reserve', wall('w1', 'o1', 0, 3000)); // seq 1, vase#5
    e.db.apply('reserve', wall('w2', 'o2', 0, 3000)); // seq 2, vase#4
    e.db.apply('reserve', wall('w3', 'o3', 0, 3001)); // seq 3, vase#3: one millisecond later
    e.db.apply('reserve', { lines: vase(1), order: 'o4', reservationId: 'r4', leaseTicks: 100 }); // seq 4, vase#2
    e.db.apply('reserve', wall('w5', 'o5', 0, 10)); // seq 5, vase#1
    e.db.apply('confirm', { reservationId: 'w5', unfenced: true }); // seq 6: sold, not held
    e.clear();
    expect(e.db.apply('reserve', wall('w6', 'o6', 3000, 6000, 2))).toEqual({ ok: true, reservationId: 'w6', units: ['vase#5', 'vase#4'], token: 8, expiresAtSeq: Number.MAX_SAFE_INTEGER });
    const reap = (id: string, order: string, unit: string) =>
      ({ op: 'reap', order, detail: { reservationId: id, units: [unit], deadlineMs: 3000, reaperNowMs: 3000, reaper: 'o6' } });
    expect(e.events.map((x) => x.op)).toEqual(['reap', 'reap', 'reserve']);
    expect(e.events.slice(0, 2)).toEqual([reap('w1', 'o1', 'vase#5'), reap('w2', 'o2', 'vase#4')]);
    expect([...e.db.reservations.values()].map((r) => [r.id, r.state])).toEqual([
      ['w1', 'expired'], ['w2', 'expired'], ['w3', 'held'], ['r4', 'held'], ['w5', 'confirmed'], ['w6', 'held'],
    ]);
    // The reaped units went back to the counter and to the log at the reap's sequence number.
    expect(e.commits.slice(0, 2)).toEqual([{ seq: 7, item: 'vase', stock: 1, version: 6 }, { seq: 7, item: 'vase', stock: 2, version: 7 }]);
  });

  it('a reserve with nothing to reap takes one sequence number; leases that end at the reap\'s number end before the stock check', () => {
    const e = engine({ vase: 2 });
    e.db.apply('reserve', wall('w1', 'o1', 0, 10)); // seq 1, vase#2
    e.db.apply('reserve', wall('w2', 'o2', 5, 10)); // seq 2: w1's deadline is after 5, nothing reaped
    expect(e.db.seq).toBe(2);
    e.db.apply('release', { reservationId: 'w2' }); // seq 3
    e.db.apply('reserve', { lines: vase(1), order: 'o3', reservationId: 'r3', leaseTicks: 1 }); // seq 4, expires at 5
    expect(e.item('vase').stock).toBe(0);
    // The reap takes seq 5, which ends r3's lease: both vases are free for w4's check.
    expect(e.db.apply('reserve', wall('w4', 'o4', 100, 200, 2))).toMatchObject({ ok: true, units: ['vase#2', 'vase#1'], token: 6 });
    expect(e.db.reservations.get('r3')!.state).toBe('expired');
  });

  it('an unfenced confirm sells whatever the reservation held, even after a reap gave its unit to another', () => {
    const e = engine({ vase: 1 });
    e.db.apply('reserve', wall('w1', 'o1', 0, 3000));
    e.db.apply('reserve', wall('w2', 'o2', 60_000, 63_000)); // reaps w1 (seq 2), holds vase#1 again (seq 3)
    e.clear();
    expect(e.db.apply('confirm', { reservationId: 'w1', unfenced: true })).toEqual({ ok: true, units: ['vase#1'] });
    expect(e.db.seq).toBe(4);
    expect(e.events).toEqual([{ op: 'confirm-unfenced', order: 'o1', detail: { reservationId: 'w1', units: ['vase#1'], was: 'expired' } }]);
    // w2 still holds vase#1: the confirm of w1 frees only what w1 itself holds.
    expect(reservedOf(e.item('vase'))).toEqual(['w2']);
    expect(ownersOf(e.item('vase'))).toEqual([['o1']]);
    e.clear();
    expect(e.db.apply('confirm', { reservationId: 'w2', unfenced: true })).toEqual({ ok: true, units: ['vase#1'] });
    expect(e.events).toEqual([{ op: 'confirm', order: 'o2', detail: { reservationId: 'w2', units: ['vase#1'], was: 'held' } }]);
    expect(reservedOf(e.item('vase'))).toEqual([null]);
    expect(ownersOf(e.item('vase'))).toEqual([['o1', 'o2']]);
    // A second unfenced confirm of a sold reservation answers the same and sells nothing more.
    e.clear();
    expect(e.db.apply('confirm', { reservationId: 'w2', unfenced: true })).toEqual({ ok: true, units: ['vase#1'] });
    expect(e.db.seq).toBe(5);
    expect(e.events).toEqual([]);
    expect(ownersOf(e.item('vase'))).toEqual([['o1', 'o2']]);
    expect(e.db.apply('confirm', { reservationId: 'w9', unfenced: true })).toEqual({ ok: false, reason: 'unknown' });
  });

  it('an unfenced confirm also ends the leases its sequence number reaches', () => {
    const e = engine({ vase: 2 });
    e.db.apply('reserve', wall('w1', 'o1', 0, 3000)); // seq 1
    e.db.apply('reserve', { lines: vase(1), order: 'o2', reservationId: 'r2', leaseTicks: 1 }); // seq 2, expires at 3
    e.db.apply('confirm', { reservationId: 'w1', unfenced: true }); // seq 3
    expect(e.db.reservations.get('r2')!.state).toBe('expired');
  });
});

describe('the book keeps its counts as it goes (heldCount, the next lease to end)', () => {
  // Any mix of requests: heldCount() is what a pass over every reservation counts, and no held
  // reservation is past its lease after any request or tick (expire() skips its pass below
  // the next lease's end; reservations.ts).
  const op = fc.oneof(
    fc.record({ kind: fc.constant('reserve' as const), id: fc.integer({ min: 0, max: 6 }), qty: fc.integer({ min: 1, max: 2 }), ticks: fc.integer({ min: 1, max: 6 }), wall: fc.option(fc.tuple(fc.nat(50), fc.nat(50))) }),
    fc.record({ kind: fc.constantFrom('confirm' as const, 'confirm-unfenced' as const, 'release' as const), id: fc.integer({ min: 0, max: 6 }) }),
    fc.record({ kind: fc.constantFrom('tick' as const, 'write' as const) }),
  );
  it('after every request and every tick', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const e = engine({ vase: 4 });
        for (const o of ops) {
          if (o.kind === 'reserve') {
            const lease = o.wall === null ? { leaseTicks: o.ticks } : { clientNowMs: o.wall[0], clientDeadlineMs: o.wall[0] + o.wall[1] };
            e.db.apply('reserve', { lines: vase(o.qty), order: `o${o.id}`, reservationId: `r${o.id}`, app: 'app1', ...lease });
          } else if (o.kind === 'confirm') {
            const res = e.db.reservations.get(`r${o.id}`);
            e.db.apply('confirm', { reservationId: `r${o.id}`, token: res?.token ?? 0 });
          } else if (o.kind === 'confirm-unfenced') {
            e.db.apply('confirm', { reservationId: `r${o.id}`, unfenced: true });
          } else if (o.kind === 'release') {
            e.db.apply('release', { reservationId: `r${o.id}` });
          } else if (o.kind === 'tick') {
            e.db.tick();
          } else {
            e.db.apply('write', { item: 'vase', stock: e.item('vase').stock, qty: 0, order: 'ox' });
          }
          const all = [...e.db.reservations.values()];
          expect(e.db.heldCount()).toBe(all.filter((r) => r.state === 'held' && r.clientDeadlineMs === undefined).length);
          expect(all.filter((r) => r.state === 'held' && r.expiresAtSeq <= e.db.seq)).toEqual([]);
        }
      }),
    );
  });
});
