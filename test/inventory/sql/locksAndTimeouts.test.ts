import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../../../src/inventory/sql/parse.js';
import { blocks, engine, ok } from './helpers.js';

beforeAll(() => loadSqlParser());

const DEC = (id: string) => `UPDATE items SET stock = stock - 1 WHERE id = '${id}'`;

describe('deadlocks', () => {
  it('a wait that closes a cycle resolves it: the transaction that waited first gets 40P01, the other proceeds', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'b', 'BEGIN');
    ok(e, 'a', DEC('vase'));
    ok(e, 'b', DEC('lamp'));
    blocks(e, 'a', DEC('lamp'));
    const closing = e.execute('b', DEC('vase'));
    expect(closing).toMatchObject({ status: 'done', result: { ok: true, rowCount: 1 } });
    const [victim] = e.takeCompletions();
    expect(victim).toMatchObject({ session: 'a', result: { ok: false, error: 'deadlock', sqlstate: '40P01', message: 'deadlock detected' } });
    expect(ok(e, 'a', 'COMMIT').command).toBe('ROLLBACK');
  });

  it("with deadlocks: 'manual', only the check a deadlock_timeout timer makes resolves it, and only for a waiter in the cycle", () => {
    const e = engine({ deadlocks: 'manual' });
    for (const s of ['a', 'b', 'c']) ok(e, s, 'BEGIN');
    ok(e, 'a', DEC('vase'));
    ok(e, 'b', DEC('lamp'));
    ok(e, 'c', 'UPDATE kv SET v = 0 WHERE id = 1');
    blocks(e, 'c', DEC('vase')); // c waits for a, outside the cycle
    blocks(e, 'a', DEC('lamp'));
    blocks(e, 'b', DEC('vase'));
    expect(e.checkDeadlock('c')).toBe(false);
    expect(e.checkDeadlock('b')).toBe(true);
    const done = e.takeCompletions();
    expect(done.map((c) => [c.session, c.result.ok ? 'ok' : c.result.sqlstate])).toEqual([
      ['b', '40P01'],
      ['a', 'ok'],
    ]);
    expect(e.isBlocked('c')).toBe(true);
  });
});

describe('lock_timeout and statement_timeout are the caller\'s timers, through cancel()', () => {
  it('SET LOCAL sets them for the transaction only, over the session SET', () => {
    const e = engine();
    ok(e, 'a', "SET lock_timeout = '2s'");
    ok(e, 'a', 'BEGIN');
    ok(e, 'a', "SET LOCAL lock_timeout = '150ms'");
    ok(e, 'a', 'SET LOCAL statement_timeout = 1000');
    expect(e.timeouts('a')).toEqual({ lockTimeoutMs: 150, statementTimeoutMs: 1000 });
    ok(e, 'a', 'COMMIT');
    expect(e.timeouts('a')).toEqual({ lockTimeoutMs: 2000, statementTimeoutMs: null });
  });

  it('cancel with lock_timeout fails the waiting statement with 55P03 and aborts its block; statement_timeout is 57014', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'a', DEC('vase'));
    ok(e, 'b', 'BEGIN');
    blocks(e, 'b', DEC('vase'));
    expect(e.cancel('b', 'lock_timeout')).toMatchObject({ error: 'lock_timeout', sqlstate: '55P03', message: 'canceling statement due to lock timeout' });
    expect(e.isBlocked('b')).toBe(false);
    expect(e.execute('b', 'SELECT 1 FROM kv')).toMatchObject({ result: { sqlstate: '25P02' } });
    ok(e, 'b', 'ROLLBACK');
    blocks(e, 'c', DEC('vase'));
    expect(e.cancel('c', 'statement_timeout')).toMatchObject({ error: 'timeout', sqlstate: '57014' });
    expect(e.cancel('c', 'statement_timeout')).toBeUndefined();
    ok(e, 'a', 'COMMIT');
    expect(e.takeCompletions()).toEqual([]);
  });

  it('closing a session cancels its wait and rolls back its block', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'a', DEC('vase'));
    blocks(e, 'b', DEC('vase'));
    e.closeSession('b');
    e.closeSession('a');
    expect(e.committedRows('items').find((r) => r.id === 'vase')!.stock).toBe(1);
    expect(ok(e, 'c', DEC('vase')).rowCount).toBe(1);
  });
});

describe('each statement reports what it touched (for partial-order reduction)', () => {
  it('a primary-key lookup reads keys; a scan reads a predicate; writes and locks name rows', () => {
    const e = engine();
    const look = e.execute('a', 'SELECT stock FROM items WHERE id = $1 FOR UPDATE', ['vase']);
    expect(look).toMatchObject({ status: 'done', access: { reads: [{ table: 'items', key: 'vase' }], locks: [{ table: 'items', key: 'vase' }], predicates: [], writes: [] } });
    const missing = e.execute('a', 'SELECT stock FROM items WHERE id IN ($1, $2)', ['rug', 'lamp']);
    expect(missing.status === 'done' && missing.access.reads.map((r) => r.key)).toEqual(['rug', 'lamp']);
    const sum = e.execute('a', 'SELECT SUM(stock) FROM items WHERE stock >= $1', [2]);
    expect(sum).toMatchObject({ access: { predicates: [{ table: 'items', where: 'stock >= $1', columns: ['stock'] }], reads: [{ key: 'lamp' }] } });
    const upd = e.execute('a', 'UPDATE kv SET v = v + 1 WHERE v > 0', []);
    expect(upd).toMatchObject({ access: { predicates: [{ table: 'kv', where: 'v > 0' }], writes: [{ table: 'kv', key: '1' }, { table: 'kv', key: '2' }] } });
    const ins = e.execute('a', 'INSERT INTO kv VALUES (5, 5)', []);
    expect(ins).toMatchObject({ access: { writes: [{ table: 'kv', key: '5' }], reads: [], predicates: [] } });
  });
});
