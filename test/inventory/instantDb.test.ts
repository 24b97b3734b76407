// The storage engine's front door (src/inventory/instantDb.ts) and its idempotency cache
// (src/inventory/idempotency.ts): a body that is not an object, a request id that makes a
// retried mutation take effect once, and the primary's own tick.
import { describe, expect, it } from 'vitest';
import { engine } from './engine.js';

describe('InstantDB.apply', () => {
  it('a body that is not an object is a bad request naming the call, with no effect', () => {
    const e = engine({ vase: 3 });
    expect(e.db.apply('write', null)).toEqual({ ok: false, reason: 'bad-request', message: 'write: body must be an object' });
    expect(e.db.apply('decrement', 'vase')).toEqual({ ok: false, reason: 'bad-request', message: 'decrement: body must be an object' });
    expect(e.db.apply('read', 7)).toEqual({ ok: false, reason: 'bad-request', message: 'read: body must be an object' });
    expect(e.db.apply('read', undefined)).toEqual({ ok: false, reason: 'bad-request', message: 'read: body must be an object' });
    expect(e.events).toEqual([]);
    expect(e.db.seq).toBe(0);
  });

  it('answers every call it knows, and a bad request for one it does not', () => {
    const e = engine({ vase: 3 });
    expect(e.db.apply('read', { item: 'vase' })).toMatchObject({ ok: true, stock: 3 });
    expect(e.db.apply('write', { item: 'vase', stock: 2, qty: 1, order: 'o1' })).toEqual({ ok: true, version: 1 });
    expect(e.db.apply('decrement', { lines: [{ item: 'vase', qty: 1 }], order: 'o2' })).toEqual({ ok: true, units: ['vase#2'] });
    expect(e.db.apply('cas', { item: 'vase', expectedVersion: 2, stock: 0, qty: 1, order: 'o3' })).toEqual({ ok: true, version: 3 });
    expect(e.db.apply('fenced-write', { item: 'vase', token: 1, stock: 0, qty: 0, order: 'o4' })).toEqual({ ok: true, version: 4 });
    expect(e.db.apply('lock', { name: 'vase' })).toEqual({ ok: false, reason: 'bad-request', message: 'unknown call "lock"' });
  });
});

describe('idempotency: a request id makes a mutation take effect once', () => {
  it('a retry gets the first outcome itself, is reported as a dedup, and changes nothing', () => {
    const e = engine({ vase: 3 });
    const req = { lines: [{ item: 'vase', qty: 1 }], order: 'o1', requestId: 'q1' };
    const first = e.db.apply('decrement', req);
    expect(first).toEqual({ ok: true, units: ['vase#3'] });
    e.clear();
    expect(e.db.apply('decrement', req)).toBe(first);
    expect(e.events).toEqual([{ op: 'dedup', order: 'o1', detail: { call: 'decrement', requestId: 'q1' } }]);
    expect(e.commits).toEqual([]);
    expect(e.item('vase').stock).toBe(2);
  });

  it('a refusal is an outcome too: the retry is refused again even when the stock came back meanwhile', () => {
    const e = engine({ vase: 1 });
    const req = { lines: [{ item: 'vase', qty: 2 }], order: 'o1', requestId: 'q1' };
    const refused = e.db.apply('decrement', req);
    expect(refused).toMatchObject({ ok: false, reason: 'insufficient' });
    e.db.apply('write', { item: 'vase', stock: 5, qty: 0, order: 'o0' });
    expect(e.db.apply('decrement', req)).toBe(refused);
  });

  it('ids are kept per call: the same id on another call is another request', () => {
    const e = engine({ vase: 3 });
    e.db.apply('decrement', { lines: [{ item: 'vase', qty: 1 }], order: 'o1', requestId: 'q1' });
    expect(e.db.apply('write', { item: 'vase', stock: 1, qty: 1, order: 'o1', requestId: 'q1' })).toEqual({ ok: true, version: 2 });
    expect(e.db.apply('decrement', { lines: [{ item: 'vase', qty: 1 }], order: 'o1', requestId: 'q2' })).toEqual({ ok: true, units: ['vase#1'] });
    expect(e.item('vase').stock).toBe(0);
  });

  it('without a string request id every delivery takes effect', () => {
    const e = engine({ vase: 3 });
    for (const requestId of [undefined, 7, undefined, 7]) e.db.apply('write', { item: 'vase', stock: 2, qty: 1, order: 'o1', requestId });
    expect(e.item('vase').version).toBe(4);
    expect(e.events.map((x) => x.op)).toEqual(['write', 'write', 'write', 'write']);
  });
});

describe('InstantDB.tick', () => {
  it('the primary\'s tick is a sequence number of its own, even with nothing to expire', () => {
    const e = engine({ vase: 3 });
    e.db.tick();
    e.db.tick();
    expect(e.db.seq).toBe(2);
    expect(e.events).toEqual([]);
    expect(e.commits).toEqual([]);
  });

  it('exposes the reservations it holds, by id', () => {
    const e = engine({ vase: 3 });
    e.db.apply('reserve', { lines: [{ item: 'vase', qty: 1 }], order: 'o1', reservationId: 'r1', leaseTicks: 2 });
    expect([...e.db.reservations.keys()]).toEqual(['r1']);
    expect(e.db.heldCount()).toBe(1);
    e.db.tick();
    e.db.tick();
    expect(e.db.reservations.get('r1')!.state).toBe('expired');
    expect(e.db.heldCount()).toBe(0);
  });
});
