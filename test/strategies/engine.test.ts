/** The storage-engine operations the strategies added to InstantDB, tested directly. */
import { describe, expect, it } from 'vitest';
import { InstantDB } from '../../src/inventory/instantDb.js';

function db(stock: Record<string, number> = { vase: 3 }): InstantDB {
  return new InstantDB(Object.entries(stock).map(([id, n]) => ({ id, stock: n })));
}

describe('InstantDB extensions', () => {
  it('decrement and reserve check the total per item over all lines (one item on two lines)', () => {
    const d = db({ vase: 1 });
    const lines = [{ item: 'vase', qty: 1 }, { item: 'vase', qty: 1 }];
    expect(d.apply('decrement', { lines, order: 'o1' })).toMatchObject({ ok: false, reason: 'insufficient' });
    expect(d.apply('reserve', { lines, order: 'o1', reservationId: 'r1', leaseTicks: 5 })).toMatchObject({ ok: false, reason: 'insufficient' });
    expect(d.items.get('vase')!.stock).toBe(1);
  });

  it('multi-item cas is all or nothing', () => {
    const d = db({ vase: 3, bowl: 2 });
    const stale = d.apply('cas', { order: 'o1', writes: [{ item: 'vase', expectedVersion: 0, stock: 2, qty: 1 }, { item: 'bowl', expectedVersion: 7, stock: 1, qty: 1 }] });
    expect(stale).toEqual({ ok: false, reason: 'version-mismatch', item: 'bowl', version: 0, stock: 2 });
    expect(d.items.get('vase')!.stock).toBe(3);
    const ok = d.apply('cas', { order: 'o1', requestId: 'x', writes: [{ item: 'vase', expectedVersion: 0, stock: 2, qty: 1 }, { item: 'bowl', expectedVersion: 0, stock: 1, qty: 1 }] });
    expect(ok).toEqual({ ok: true, versions: [1, 1] });
    expect(d.items.get('vase')!.owners[3]).toEqual(['o1']);
    expect(d.items.get('bowl')!.owners[2]).toEqual(['o1']);
    // A retry with the same request id gets the stored outcome, not a second effect.
    expect(d.apply('cas', { order: 'o1', requestId: 'x', writes: [{ item: 'vase', expectedVersion: 1, stock: 1, qty: 1 }] })).toEqual(ok);
    expect(d.items.get('vase')!.stock).toBe(2);
    expect(d.apply('cas', { order: 'o1', writes: [{ item: 'vase', expectedVersion: 1, stock: 1, qty: 1 }, { item: 'vase', expectedVersion: 1, stock: 1, qty: 1 }] })).toMatchObject({ reason: 'bad-request' });
  });

  it('multi-item fenced write is refused as a whole when any token is stale', () => {
    const d = db({ vase: 3, bowl: 2 });
    expect(d.apply('read', { item: 'bowl', token: 9 })).toMatchObject({ ok: true });
    const refused = d.apply('fenced-write', { order: 'o1', writes: [{ item: 'vase', stock: 2, qty: 1, token: 8 }, { item: 'bowl', stock: 1, qty: 1, token: 8 }] });
    expect(refused).toEqual({ ok: false, reason: 'stale-token', highestToken: 9, item: 'bowl' });
    expect(d.items.get('vase')!.stock).toBe(3);
    const ok = d.apply('fenced-write', { order: 'o1', writes: [{ item: 'vase', stock: 2, qty: 1, token: 8 }, { item: 'bowl', stock: 1, qty: 1, token: 9 }] });
    expect(ok).toMatchObject({ ok: true });
    expect(d.items.get('vase')!.highestToken).toBe(8);
  });

  it('a retried reserve gets the same grant; a confirmed reservation confirms again as ok', () => {
    const d = db();
    const req = { lines: [{ item: 'vase', qty: 1 }], order: 'o1', reservationId: 'r1', leaseTicks: 5 };
    const a = d.apply('reserve', req);
    expect(d.apply('reserve', req)).toEqual(a);
    const token = (a as { token: number }).token;
    expect(d.apply('confirm', { reservationId: 'r1', token })).toEqual({ ok: true, units: ['vase#3'] });
    expect(d.apply('confirm', { reservationId: 'r1', token })).toEqual({ ok: true, units: ['vase#3'] });
    expect(d.apply('release', { reservationId: 'r1' })).toEqual({ ok: false, reason: 'confirmed' });
  });

  describe('the wrong design (wall-clock-expiry)', () => {
    it('reaps by the caller\'s clock, never by tick, and an unfenced confirm sells a reaped unit again', () => {
      const d = db({ vase: 1 });
      const line = [{ item: 'vase', qty: 1 }];
      expect(d.apply('reserve', { lines: line, order: 'o1', reservationId: 'r1', clientNowMs: 0, clientDeadlineMs: 3000 })).toMatchObject({ ok: true, units: ['vase#1'] });
      // Not counted for ticking: the primary's tick never expires it, so the run can go quiet.
      expect(d.heldCount()).toBe(0);
      for (let i = 0; i < 100; i++) d.tick();
      expect(d.reservations.get('r1')!.state).toBe('held');
      // A peer whose clock says 60 s reaps it and takes the vase.
      expect(d.apply('reserve', { lines: line, order: 'o2', reservationId: 'r2', clientNowMs: 60_000, clientDeadlineMs: 63_000 })).toMatchObject({ ok: true, units: ['vase#1'] });
      expect(d.reservations.get('r1')!.state).toBe('expired');
      // Both owners confirm without a token: vase#1 is sold twice.
      expect(d.apply('confirm', { reservationId: 'r1', unfenced: true })).toEqual({ ok: true, units: ['vase#1'] });
      expect(d.apply('confirm', { reservationId: 'r2', unfenced: true })).toEqual({ ok: true, units: ['vase#1'] });
      expect(d.items.get('vase')!.owners[1]).toEqual(['o1', 'o2']);
      // The fenced confirm of the right design refuses a reservation that is not held.
      const d2 = db({ vase: 1 });
      const g = d2.apply('reserve', { lines: line, order: 'o1', reservationId: 'r1', leaseTicks: 2 }) as { token: number };
      d2.tick();
      d2.tick();
      expect(d2.apply('confirm', { reservationId: 'r1', token: g.token })).toEqual({ ok: false, reason: 'expired' });
    });

    it('rejects a wall-clock reserve without both clock fields', () => {
      expect(db().apply('reserve', { lines: [{ item: 'vase', qty: 1 }], order: 'o1', reservationId: 'r1', clientDeadlineMs: 5 })).toMatchObject({ reason: 'bad-request' });
    });
  });
});
