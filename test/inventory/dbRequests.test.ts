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

  it('decodes every call into its typed request, keeping only the fields it names', () => {
    const cases: Array<[string, Record<string, unknown>, unknown]> = [
      ['read', { item: 'vase', order: 'o1', extra: 1 }, { kind: 'read', item: 'vase', token: undefined, order: 'o1' }],
      ['read', { item: 'vase', token: 4 }, { kind: 'read', item: 'vase', token: 4, order: undefined }],
      ['write', { item: 'vase', stock: 2, qty: 1, order: 'o1' }, { kind: 'write', item: 'vase', stock: 2, qty: 1, order: 'o1' }],
      ['decrement', { lines: [{ item: 'vase', qty: 1, note: 'x' }, { item: 'bowl', qty: 2 }], order: 'o1' },
        { kind: 'decrement', lines: [{ item: 'vase', qty: 1 }, { item: 'bowl', qty: 2 }], order: 'o1' }],
      ['fenced-write', { item: 'vase', token: 3, stock: 1, qty: 1, order: 'o1' }, { kind: 'fenced-write', item: 'vase', token: 3, stock: 1, qty: 1, order: 'o1' }],
      ['fenced-write', { writes: [{ item: 'vase', token: 3, stock: 1, qty: 1, note: 'x' }, { item: 'bowl', token: 4, stock: 0, qty: 2 }], order: 'o1' },
        { kind: 'fenced-write-many', order: 'o1', writes: [{ item: 'vase', token: 3, stock: 1, qty: 1 }, { item: 'bowl', token: 4, stock: 0, qty: 2 }] }],
      ['reserve', { lines: [{ item: 'vase', qty: 1 }], reservationId: 'r1', leaseTicks: 1, app: 'app1', order: 'o1' },
        { kind: 'reserve', lines: [{ item: 'vase', qty: 1 }], reservationId: 'r1', app: 'app1', order: 'o1', lease: { ticks: 1 } }],
      ['reserve', { lines: [{ item: 'vase', qty: 1 }], reservationId: 'r1', leaseTicks: 5 },
        { kind: 'reserve', lines: [{ item: 'vase', qty: 1 }], reservationId: 'r1', app: '', order: undefined, lease: { ticks: 5 } }],
      ['reserve', { lines: [{ item: 'vase', qty: 1 }], reservationId: 'r1', app: 3, clientNowMs: 0, clientDeadlineMs: 3000, leaseTicks: 0 },
        { kind: 'reserve', lines: [{ item: 'vase', qty: 1 }], reservationId: 'r1', app: '3', order: undefined, lease: { clientNowMs: 0, clientDeadlineMs: 3000 } }],
      ['confirm', { reservationId: 'r1', token: 2, unfenced: true }, { kind: 'confirm', reservationId: 'r1', token: 2, unfenced: true }],
      // Only a number is a token (any number: a wrong one is answered as stale); only `true` is unfenced.
      ['confirm', { reservationId: 'r1', token: '2', unfenced: 'yes' }, { kind: 'confirm', reservationId: 'r1', token: undefined, unfenced: false }],
      ['confirm', { reservationId: 7, token: 1.5 }, { kind: 'confirm', reservationId: '7', token: 1.5, unfenced: false }],
      ['release', { reservationId: 'r1', order: 'o1' }, { kind: 'release', reservationId: 'r1' }],
      ['release', {}, { kind: 'release', reservationId: 'undefined' }],
      ['reservations', { app: 'app1' }, { kind: 'reservations', app: 'app1' }],
      ['reservations', { app: 1 }, { kind: 'reservations', app: undefined }],
    ];
    for (const [call, body, request] of cases) expect(decodeRequest(call, body, items), `${call} ${JSON.stringify(body)}`).toEqual(request);
  });

  it('an order that is not a string is no order', () => {
    expect(decodeRequest('read', { item: 'vase', order: 7 }, items)).toEqual({ kind: 'read', item: 'vase', token: undefined, order: undefined });
    expect(decodeRequest('decrement', { lines: [{ item: 'vase', qty: 1 }], order: null }, items)).toEqual({ kind: 'decrement', lines: [{ item: 'vase', qty: 1 }], order: undefined });
  });

  it('checks every field it needs, each with its own message', () => {
    const line = [{ item: 'vase', qty: 1 }];
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['read', {}, 'read: unknown item undefined'],
      ['read', { item: 7 }, 'read: unknown item 7'],
      ['read', { item: 'vase', token: '1' }, 'read: token must be an integer'],
      ['write', { item: 'chair', stock: 2, qty: 1, order: 'o1' }, 'write: unknown item "chair"'],
      ['write', { item: 'vase', stock: 2, qty: 1.5, order: 'o1' }, 'write: needs integer stock and qty, and an order'],
      ['write', { item: 'vase', stock: '2', qty: 1, order: 'o1' }, 'write: needs integer stock and qty, and an order'],
      ['write', { item: 'vase', stock: 2, qty: 1, order: 7 }, 'write: needs integer stock and qty, and an order'],
      ['decrement', {}, 'decrement: lines must be a non-empty array'],
      ['decrement', { lines: { item: 'vase', qty: 1 } }, 'decrement: lines must be a non-empty array'],
      ['decrement', { lines: [null] }, 'decrement: unknown item undefined'],
      ['decrement', { lines: [7] }, 'decrement: unknown item undefined'],
      ['decrement', { lines: [{ item: 'vase', qty: 1 }, { item: 'chair', qty: 1 }] }, 'decrement: unknown item "chair"'],
      ['decrement', { lines: [{ item: 'vase', qty: -1 }] }, 'decrement: qty must be a positive integer'],
      ['decrement', { lines: [{ item: 'vase', qty: 1.5 }] }, 'decrement: qty must be a positive integer'],
      ['decrement', { lines: [{ item: 'vase' }] }, 'decrement: qty must be a positive integer'],
      ['cas', { item: 'chair', expectedVersion: 0, stock: 1, qty: 1 }, 'cas: unknown item "chair"'],
      ['cas', { item: 'vase', expectedVersion: 0, stock: 1 }, 'cas: needs integer expectedVersion, stock and qty'],
      ['cas', { item: 'vase', stock: 1, qty: 1 }, 'cas: needs integer expectedVersion, stock and qty'],
      // `writes` that is not an array is no multi-item write: the single-item form is checked.
      ['cas', { writes: 'vase', expectedVersion: 0, stock: 1, qty: 1 }, 'cas: unknown item undefined'],
      ['cas', { writes: [null] }, 'cas: unknown item undefined'],
      ['cas', { writes: [{ item: 'chair', expectedVersion: 0, stock: 1, qty: 1 }] }, 'cas: unknown item "chair"'],
      // Items first for every write, then the fields: the unknown second item is named, not the first's missing fields.
      ['cas', { writes: [{ item: 'vase' }, { item: 'chair' }] }, 'cas: unknown item "chair"'],
      ['cas', { writes: [{ item: 'vase', expectedVersion: 0, stock: 1, qty: 1 }, { item: 'bowl', expectedVersion: 0, stock: 1, qty: 1.5 }] },
        'cas: every write needs integer expectedVersion, stock and qty'],
      ['fenced-write', { writes: [] }, 'fenced-write: writes must be a non-empty array'],
      ['fenced-write', { writes: [{ item: 'bowl' }, { item: 'bowl' }] }, 'fenced-write: item "bowl" appears twice in writes'],
      ['fenced-write', { writes: [{ item: 'bowl', token: 1, stock: 1 }] }, 'fenced-write: every write needs integer token, stock and qty'],
      ['fenced-write', { item: 'chair', token: 1, stock: 1, qty: 1 }, 'fenced-write: unknown item "chair"'],
      ['reserve', { lines: [], reservationId: 'r1', leaseTicks: 5 }, 'reserve: lines must be a non-empty array'],
      ['reserve', { lines: [{ item: 'chair', qty: 1 }], reservationId: 'r1', leaseTicks: 5 }, 'reserve: unknown item "chair"'],
      ['reserve', { lines: line, leaseTicks: 5 }, 'reserve: needs a reservationId and leaseTicks >= 1'],
      ['reserve', { lines: line, reservationId: 'r1' }, 'reserve: needs a reservationId and leaseTicks >= 1'],
      ['reserve', { lines: line, reservationId: 'r1', leaseTicks: 1.5 }, 'reserve: needs a reservationId and leaseTicks >= 1'],
      ['reserve', { lines: line, reservationId: 'r1', leaseTicks: -1 }, 'reserve: needs a reservationId and leaseTicks >= 1'],
      ['reserve', { lines: line, clientNowMs: 0, clientDeadlineMs: 5 }, 'reserve: a wall-clock reservation needs a reservationId and integer clientDeadlineMs and clientNowMs'],
      ['reserve', { lines: line, reservationId: 'r1', clientNowMs: 0, clientDeadlineMs: 5.5 }, 'reserve: a wall-clock reservation needs a reservationId and integer clientDeadlineMs and clientNowMs'],
      ['reserve', { lines: line, reservationId: 'r1', clientNowMs: '0', clientDeadlineMs: 5 }, 'reserve: a wall-clock reservation needs a reservationId and integer clientDeadlineMs and clientNowMs'],
      ['', {}, 'unknown call ""'],
    ];
    for (const [call, body, message] of cases) expect(decodeRequest(call, body, items), `${call} ${JSON.stringify(body)}`).toEqual({ ok: false, reason: 'bad-request', message });
  });

  it('only an object is a line or a write: a function that carries item and qty is not one', () => {
    // A strategy can send anything in-process; a body's parts are read only from objects.
    const fn = Object.assign(() => 0, { item: 'vase', qty: 1, expectedVersion: 0, stock: 1 });
    expect(decodeRequest('decrement', { lines: [fn] }, items)).toEqual({ ok: false, reason: 'bad-request', message: 'decrement: unknown item undefined' });
    expect(decodeRequest('cas', { writes: [fn] }, items)).toEqual({ ok: false, reason: 'bad-request', message: 'cas: unknown item undefined' });
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
