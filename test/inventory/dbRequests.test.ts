// Decoding of the primary's requests: a wire body becomes one typed request or a bad-request
// answer naming the first problem; the multi-item forms keep their single-item call names.
import { describe, expect, it } from 'vitest';
import { decodeRequest } from '../../src/inventory/dbRequests.js';
import { InstantDB } from '../../src/inventory/instantDb.js';

const items = new Map([['vase', {}], ['bowl', {}]]);

describe('decodeRequest', () => {
  it('cas with writes is its own kind, cas-many, under the wire name cas', () => {
    expect(decodeRequest('cas', { order: 'o1', writes: [{ item: 'vase', expectedVersion: 0, stock: 2, qty: 1 }] }, items))
      .toEqual({ kind: 'cas-many', order: 'o1', writes: [{ item: 'vase', expectedVersion: 0, stock: 2, qty: 1 }] });
    expect(decodeRequest('cas', { order: 'o1', item: 'vase', expectedVersion: 0, stock: 2, qty: 1 }, items))
      .toEqual({ kind: 'cas', order: 'o1', item: 'vase', expectedVersion: 0, stock: 2, qty: 1 });
    expect(decodeRequest('fenced-write', { writes: [{ item: 'bowl', stock: 1, qty: 1, token: 4 }] }, items))
      .toEqual({ kind: 'fenced-write-many', order: undefined, writes: [{ item: 'bowl', stock: 1, qty: 1, token: 4 }] });
  });

  it('names the first problem of a bad body, as the primary answers it', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['read', { item: 'chair' }, 'read: unknown item "chair"'],
      ['read', { item: 'vase', token: 1.5 }, 'read: token must be an integer'],
      ['write', { item: 'vase', stock: 2, qty: 1 }, 'write: needs integer stock and qty, and an order'],
      ['decrement', { lines: [] }, 'decrement: lines must be a non-empty array'],
      ['decrement', { lines: [{ item: 'vase', qty: 0 }] }, 'decrement: qty must be a positive integer'],
      ['cas', { writes: [] }, 'cas: writes must be a non-empty array'],
      ['cas', { writes: [{ item: 'vase' }, { item: 'vase' }] }, 'cas: item "vase" appears twice in writes'],
      ['cas', { writes: [{ item: 'vase', expectedVersion: 0, stock: 1 }] }, 'cas: every write needs integer expectedVersion, stock and qty'],
      ['fenced-write', { item: 'vase', stock: 1, qty: 1 }, 'fenced-write: needs integer token, stock and qty'],
      ['reserve', { lines: [{ item: 'vase', qty: 1 }], reservationId: 'r1', leaseTicks: 0 }, 'reserve: needs a reservationId and leaseTicks >= 1'],
      ['reserve', { lines: [{ item: 'vase', qty: 1 }], reservationId: 'r1', clientDeadlineMs: 5 },
        'reserve: a wall-clock reservation needs a reservationId and integer clientDeadlineMs and clientNowMs'],
      ['refund', {}, 'unknown call "refund"'],
    ];
    for (const [call, body, message] of cases) expect(decodeRequest(call, body, items), `${call} ${JSON.stringify(body)}`).toEqual({ ok: false, reason: 'bad-request', message });
  });

  it('a bad request has no effect, and its answer is stored under its request id like any outcome', () => {
    const db = new InstantDB([{ id: 'vase', stock: 3 }]);
    const first = db.apply('cas', { order: 'o1', requestId: 'x', writes: [{ item: 'vase', expectedVersion: 0, stock: 2 }] });
    expect(first).toMatchObject({ reason: 'bad-request' });
    expect(db.seq).toBe(0);
    // Same call and id: the stored answer, even though this body is good.
    expect(db.apply('cas', { order: 'o1', requestId: 'x', item: 'vase', expectedVersion: 0, stock: 2, qty: 1 })).toBe(first);
    expect(db.items.get('vase')!.stock).toBe(3);
  });
});
