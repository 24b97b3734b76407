// The primary's counter operations (src/inventory/counterOps.ts) on engines built by hand:
// what each answers, which units each claims for which order, what it reports to the trace
// and what it commits to the log replicas apply. A refusal is a value and moves nothing.
import { describe, expect, it } from 'vitest';
import { engine, ownersOf } from './engine.js';

describe('read', () => {
  it('answers the counter, its version and the primary\'s sequence number, and reports what the order saw', () => {
    const e = engine({ vase: 3 });
    e.db.apply('write', { item: 'vase', stock: 2, qty: 1, order: 'o1' });
    e.clear();
    expect(e.db.apply('read', { item: 'vase', order: 'o2' })).toEqual({ ok: true, item: 'vase', stock: 2, version: 1, seq: 1 });
    expect(e.events).toEqual([{ op: 'read', order: 'o2', detail: { item: 'vase', stock: 2, version: 1, seq: 1 } }]);
    // A read commits nothing and moves no clock.
    expect(e.commits).toEqual([]);
    expect(e.db.seq).toBe(1);
  });

  it('a fenced read registers its token; an equal token is still current, a lower one is refused', () => {
    const e = engine({ vase: 3 });
    expect(e.db.apply('read', { item: 'vase', token: 5, order: 'o1' })).toMatchObject({ ok: true });
    expect(e.item('vase').highestToken).toBe(5);
    expect(e.db.apply('read', { item: 'vase', token: 5, order: 'o1' })).toMatchObject({ ok: true });
    e.clear();
    expect(e.db.apply('read', { item: 'vase', token: 4, order: 'o2' })).toEqual({ ok: false, reason: 'stale-token', highestToken: 5 });
    expect(e.events).toEqual([{ op: 'read-refused', order: 'o2', detail: { item: 'vase', token: 4, highestToken: 5 } }]);
    expect(e.item('vase').highestToken).toBe(5);
    e.db.apply('read', { item: 'vase', token: 7 });
    expect(e.item('vase').highestToken).toBe(7);
    // An unfenced read neither checks nor registers a token.
    e.db.apply('read', { item: 'vase' });
    expect(e.item('vase').highestToken).toBe(7);
  });
});

describe('write (the naive absolute write)', () => {
  it('sets the counter, bumps the version, claims the unit the counter moved past and commits', () => {
    const e = engine({ vase: 3 });
    expect(e.db.apply('write', { item: 'vase', stock: 2, qty: 1, order: 'o1' })).toEqual({ ok: true, version: 1 });
    expect(e.item('vase')).toMatchObject({ stock: 2, version: 1 });
    expect(ownersOf(e.item('vase'))).toEqual([[], [], ['o1']]);
    expect(e.events).toEqual([{ op: 'write', order: 'o1', detail: { item: 'vase', from: 3, to: 2, units: ['vase#3'] } }]);
    expect(e.commits).toEqual([{ seq: 1, item: 'vase', stock: 2, version: 1 }]);
    expect(e.db.seq).toBe(1);
  });

  it('two orders that both read 3 and both write 2 both took vase#3 (the lost update)', () => {
    const e = engine({ vase: 3 });
    e.db.apply('write', { item: 'vase', stock: 2, qty: 1, order: 'o1' });
    expect(e.db.apply('write', { item: 'vase', stock: 2, qty: 1, order: 'o2' })).toEqual({ ok: true, version: 2 });
    expect(ownersOf(e.item('vase'))).toEqual([[], [], ['o1', 'o2']]);
    expect(e.commits.map((c) => c.seq)).toEqual([1, 2]);
  });

  it('claims only units that exist: vase#1 to vase#N, none below or above', () => {
    const e = engine({ vase: 2 });
    const units = (stock: number, qty: number, order: string): unknown => {
      e.clear();
      e.db.apply('write', { item: 'vase', stock, qty, order });
      return e.events[0].detail.units;
    };
    expect(units(1, 1, 'o1')).toEqual(['vase#2']); // the top unit
    expect(units(0, 1, 'o2')).toEqual(['vase#1']); // the bottom unit
    expect(units(-1, 1, 'o3')).toEqual([]); // vase#0 does not exist
    expect(units(2, 1, 'o4')).toEqual([]); // vase#3 does not exist
    expect(units(-1, 3, 'o5')).toEqual(['vase#1', 'vase#2']); // vase#0..vase#2: the two that exist
    expect(ownersOf(e.item('vase'))).toEqual([['o2', 'o5'], ['o1', 'o5']]);
  });
});

describe('decrement (conditional, all lines or none)', () => {
  it('moves each line\'s counter down by its quantity, claims the units it moved past and commits each move', () => {
    const e = engine({ vase: 3, bowl: 2 });
    expect(e.db.apply('decrement', { lines: [{ item: 'vase', qty: 2 }, { item: 'bowl', qty: 1 }], order: 'o1' }))
      .toEqual({ ok: true, units: ['vase#2', 'vase#3', 'bowl#2'] });
    expect(e.events).toEqual([
      { op: 'decrement', order: 'o1', detail: { item: 'vase', from: 3, to: 1, units: ['vase#2', 'vase#3'] } },
      { op: 'decrement', order: 'o1', detail: { item: 'bowl', from: 2, to: 1, units: ['bowl#2'] } },
    ]);
    expect(e.commits).toEqual([{ seq: 1, item: 'vase', stock: 1, version: 1 }, { seq: 2, item: 'bowl', stock: 1, version: 1 }]);
  });

  it('exactly the stock left is enough; one more on any line refuses the order, naming that item, and moves nothing', () => {
    const e = engine({ vase: 3, bowl: 1 });
    expect(e.db.apply('decrement', { lines: [{ item: 'vase', qty: 1 }, { item: 'bowl', qty: 2 }], order: 'o1' }))
      .toEqual({ ok: false, reason: 'insufficient', item: 'bowl', stock: 1 });
    expect(e.events).toEqual([{ op: 'decrement-refused', order: 'o1', detail: { item: 'bowl', stock: 1, qty: 2 } }]);
    expect(e.item('vase')).toMatchObject({ stock: 3, version: 0 });
    expect(e.commits).toEqual([]);
    expect(e.db.seq).toBe(0);
    expect(e.db.apply('decrement', { lines: [{ item: 'bowl', qty: 1 }], order: 'o2' })).toEqual({ ok: true, units: ['bowl#1'] });
  });

  it('two lines of one item are checked together and take consecutive units', () => {
    const e = engine({ vase: 2 });
    const lines = [{ item: 'vase', qty: 1 }, { item: 'vase', qty: 1 }];
    expect(e.db.apply('decrement', { lines, order: 'o1' })).toEqual({ ok: true, units: ['vase#2', 'vase#1'] });
    expect(e.db.apply('decrement', { lines, order: 'o2' })).toEqual({ ok: false, reason: 'insufficient', item: 'vase', stock: 0 });
    expect(e.events.at(-1)).toEqual({ op: 'decrement-refused', order: 'o2', detail: { item: 'vase', stock: 0, qty: 2 } });
  });
});

describe('cas (compare-and-set on the version)', () => {
  it('sets the counter when the version is still the expected one, and reports the new version', () => {
    const e = engine({ vase: 3 });
    expect(e.db.apply('cas', { item: 'vase', expectedVersion: 0, stock: 2, qty: 1, order: 'o1' })).toEqual({ ok: true, version: 1 });
    expect(e.events).toEqual([{ op: 'cas', order: 'o1', detail: { item: 'vase', from: 3, to: 2, version: 1, units: ['vase#3'] } }]);
    expect(e.commits).toEqual([{ seq: 1, item: 'vase', stock: 2, version: 1 }]);
  });

  it('a version that moved on is refused with the current version and stock, and changes nothing', () => {
    const e = engine({ vase: 3 });
    e.db.apply('cas', { item: 'vase', expectedVersion: 0, stock: 2, qty: 1, order: 'o1' });
    e.clear();
    expect(e.db.apply('cas', { item: 'vase', expectedVersion: 0, stock: 2, qty: 1, order: 'o2' }))
      .toEqual({ ok: false, reason: 'version-mismatch', version: 1, stock: 2 });
    expect(e.events).toEqual([{ op: 'cas-refused', order: 'o2', detail: { item: 'vase', expectedVersion: 0, version: 1 } }]);
    expect(e.commits).toEqual([]);
    expect(ownersOf(e.item('vase'))).toEqual([[], [], ['o1']]);
  });
});

describe('cas with writes (a multi-item optimistic transaction)', () => {
  it('every version matches: every item is set, each move committed, the new versions in write order', () => {
    const e = engine({ vase: 3, bowl: 2 });
    e.db.apply('write', { item: 'bowl', stock: 2, qty: 0, order: 'o0' }); // bowl at version 1
    e.clear();
    const writes = [{ item: 'vase', expectedVersion: 0, stock: 2, qty: 1 }, { item: 'bowl', expectedVersion: 1, stock: 1, qty: 1 }];
    expect(e.db.apply('cas', { writes, order: 'o1' })).toEqual({ ok: true, versions: [1, 2] });
    expect(e.events).toEqual([
      { op: 'cas', order: 'o1', detail: { item: 'vase', from: 3, to: 2, version: 1, units: ['vase#3'] } },
      { op: 'cas', order: 'o1', detail: { item: 'bowl', from: 2, to: 1, version: 2, units: ['bowl#2'] } },
    ]);
    expect(e.commits).toEqual([{ seq: 2, item: 'vase', stock: 2, version: 1 }, { seq: 3, item: 'bowl', stock: 1, version: 2 }]);
  });

  it('the first stale version refuses the whole cart before anything moves', () => {
    const e = engine({ vase: 3, bowl: 2 });
    const writes = [{ item: 'vase', expectedVersion: 5, stock: 2, qty: 1 }, { item: 'bowl', expectedVersion: 5, stock: 1, qty: 1 }];
    expect(e.db.apply('cas', { writes, order: 'o1' })).toEqual({ ok: false, reason: 'version-mismatch', item: 'vase', version: 0, stock: 3 });
    expect(e.events).toEqual([{ op: 'cas-refused', order: 'o1', detail: { item: 'vase', expectedVersion: 5, version: 0 } }]);
    expect(e.commits).toEqual([]);
  });
});

describe('fenced write (DDIA Figure 8-5)', () => {
  it('a token as high as any seen writes and is recorded; the event carries it', () => {
    const e = engine({ vase: 3 });
    e.db.apply('read', { item: 'vase', token: 4 });
    e.clear();
    expect(e.db.apply('fenced-write', { item: 'vase', token: 4, stock: 2, qty: 1, order: 'o1' })).toEqual({ ok: true, version: 1 });
    expect(e.events).toEqual([{ op: 'fenced-write', order: 'o1', detail: { item: 'vase', from: 3, to: 2, token: 4, units: ['vase#3'] } }]);
    expect(e.commits).toEqual([{ seq: 1, item: 'vase', stock: 2, version: 1 }]);
    expect(e.db.apply('fenced-write', { item: 'vase', token: 6, stock: 1, qty: 1, order: 'o1' })).toEqual({ ok: true, version: 2 });
    expect(e.item('vase').highestToken).toBe(6);
  });

  it('a token older than the highest seen is refused and changes nothing', () => {
    const e = engine({ vase: 3 });
    e.db.apply('fenced-write', { item: 'vase', token: 6, stock: 2, qty: 1, order: 'o1' });
    e.clear();
    expect(e.db.apply('fenced-write', { item: 'vase', token: 5, stock: 2, qty: 1, order: 'o2' })).toEqual({ ok: false, reason: 'stale-token', highestToken: 6 });
    expect(e.events).toEqual([{ op: 'fenced-write-refused', order: 'o2', detail: { item: 'vase', token: 5, highestToken: 6 } }]);
    expect(e.commits).toEqual([]);
    expect(e.item('vase')).toMatchObject({ stock: 2, version: 1, highestToken: 6 });
    expect(ownersOf(e.item('vase'))).toEqual([[], [], ['o1']]);
  });
});

describe('fenced write with writes (several locks, one transaction)', () => {
  it('every token current: each item records its write\'s token, versions in write order', () => {
    const e = engine({ vase: 3, bowl: 2 });
    e.db.apply('read', { item: 'bowl', token: 3 });
    e.clear();
    const writes = [{ item: 'vase', token: 2, stock: 2, qty: 1 }, { item: 'bowl', token: 3, stock: 1, qty: 1 }];
    expect(e.db.apply('fenced-write', { writes, order: 'o1' })).toEqual({ ok: true, versions: [1, 1] });
    expect(e.item('vase').highestToken).toBe(2);
    expect(e.item('bowl').highestToken).toBe(3);
    expect(e.events).toEqual([
      { op: 'fenced-write', order: 'o1', detail: { item: 'vase', from: 3, to: 2, token: 2, units: ['vase#3'] } },
      { op: 'fenced-write', order: 'o1', detail: { item: 'bowl', from: 2, to: 1, token: 3, units: ['bowl#2'] } },
    ]);
    expect(e.commits).toEqual([{ seq: 1, item: 'vase', stock: 2, version: 1 }, { seq: 2, item: 'bowl', stock: 1, version: 1 }]);
  });

  it('the first stale token refuses the whole write, naming its item, before any token is recorded', () => {
    const e = engine({ vase: 3, bowl: 2 });
    e.db.apply('read', { item: 'vase', token: 5 });
    e.clear();
    const writes = [{ item: 'vase', token: 4, stock: 2, qty: 1 }, { item: 'bowl', token: 9, stock: 1, qty: 1 }];
    expect(e.db.apply('fenced-write', { writes, order: 'o1' })).toEqual({ ok: false, reason: 'stale-token', highestToken: 5, item: 'vase' });
    expect(e.events).toEqual([{ op: 'fenced-write-refused', order: 'o1', detail: { item: 'vase', token: 4, highestToken: 5 } }]);
    expect(e.item('bowl')).toMatchObject({ stock: 2, version: 0, highestToken: 0 });
    expect(e.commits).toEqual([]);
  });
});
