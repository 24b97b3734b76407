import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../../../src/inventory/sql/parse.js';
import { blocks, engine, err, ok } from './helpers.js';

beforeAll(() => loadSqlParser());

const GUARDED = 'UPDATE items SET stock = stock - $2 WHERE id = $1 AND stock >= $2 RETURNING stock';

describe('READ COMMITTED as PostgreSQL runs it', () => {
  it('takes a snapshot per statement: a later statement sees what committed in between', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    expect(ok(e, 'a', "SELECT stock FROM items WHERE id = 'lamp'").rows).toEqual([{ stock: 5 }]);
    ok(e, 'b', "UPDATE items SET stock = 4 WHERE id = 'lamp'");
    expect(ok(e, 'a', "SELECT stock FROM items WHERE id = 'lamp'").rows).toEqual([{ stock: 4 }]);
  });

  it('an UPDATE waits for the row, then re-checks its WHERE on the newest version (EvalPlanQual): the guard holds', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'b', 'BEGIN');
    expect(ok(e, 'a', GUARDED, 'vase', 1).rows).toEqual([{ stock: 0 }]);
    const w = blocks(e, 'b', GUARDED, 'vase', 1);
    expect(w).toEqual({ status: 'blocked', waitingFor: [e.txOf('a')] });
    expect(e.isBlocked('b')).toBe(true);
    ok(e, 'a', 'COMMIT');
    const [done] = e.takeCompletions();
    expect(done.session).toBe('b');
    expect(done.result).toMatchObject({ ok: true, command: 'UPDATE', rowCount: 0, rows: [] });
    ok(e, 'b', 'COMMIT');
    expect(e.committedRows('items').find((r) => r.id === 'vase')!.stock).toBe(0);
  });

  it('without a guard the waiter applies its change to the newest version: stock goes negative', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'b', 'BEGIN');
    ok(e, 'a', "UPDATE items SET stock = stock - 1 WHERE id = 'vase'");
    blocks(e, 'b', "UPDATE items SET stock = stock - 1 WHERE id = 'vase' RETURNING stock");
    ok(e, 'a', 'COMMIT');
    expect(e.takeCompletions()[0].result).toMatchObject({ rowCount: 1, rows: [{ stock: -1 }] });
  });

  it('a waiter proceeds on the old version when the holder rolls back', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'a', GUARDED, 'vase', 1);
    blocks(e, 'b', GUARDED, 'vase', 1);
    ok(e, 'a', 'ROLLBACK');
    expect(e.takeCompletions()[0].result).toMatchObject({ rowCount: 1, rows: [{ stock: 0 }] });
  });

  it('a row that no longer qualifies after the wait stays locked by the waiter (EvalPlanQual locks before it re-checks)', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'a', "UPDATE items SET stock = 1 WHERE id = 'lamp'");
    ok(e, 'b', 'BEGIN');
    blocks(e, 'b', GUARDED, 'lamp', 5);
    ok(e, 'a', 'COMMIT');
    expect(e.takeCompletions()[0].result).toMatchObject({ rowCount: 0 });
    blocks(e, 'c', "UPDATE items SET stock = 0 WHERE id = 'lamp'");
    ok(e, 'b', 'COMMIT');
    expect(e.takeCompletions()[0]).toMatchObject({ session: 'c', result: { rowCount: 1 } });
  });

  it('a deleted row is skipped by the waiter', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'a', "DELETE FROM items WHERE id = 'vase'");
    blocks(e, 'b', "UPDATE items SET stock = 9 WHERE id = 'vase'");
    ok(e, 'a', 'COMMIT');
    expect(e.takeCompletions()[0].result).toMatchObject({ rowCount: 0 });
  });

  it('SELECT ... FOR UPDATE returns the newest version after waiting, and holds the lock until COMMIT', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'a', "SELECT stock FROM items WHERE id = 'lamp' FOR UPDATE");
    ok(e, 'b', 'BEGIN');
    blocks(e, 'b', "SELECT stock FROM items WHERE id = 'lamp' FOR UPDATE");
    ok(e, 'c', "SELECT stock FROM items WHERE id = 'lamp'"); // plain reads never wait
    ok(e, 'a', "UPDATE items SET stock = 2 WHERE id = 'lamp'");
    ok(e, 'a', 'COMMIT');
    expect(e.takeCompletions()[0].result).toMatchObject({ rows: [{ stock: 2 }] });
    blocks(e, 'c', "UPDATE items SET stock = 1 WHERE id = 'lamp'");
    ok(e, 'b', 'COMMIT');
    expect(e.takeCompletions()[0].session).toBe('c');
  });

  it('FOR SHARE locks coexist, and an UPDATE waits for every share holder', () => {
    const e = engine();
    for (const s of ['a', 'b']) {
      ok(e, s, 'BEGIN');
      ok(e, s, "SELECT stock FROM items WHERE id = 'lamp' FOR SHARE");
    }
    const w = blocks(e, 'c', "UPDATE items SET stock = 0 WHERE id = 'lamp'");
    expect(w.status === 'blocked' && w.waitingFor.length).toBe(2);
    ok(e, 'a', 'COMMIT');
    expect(e.isBlocked('c')).toBe(true);
    ok(e, 'b', 'COMMIT');
    expect(e.isBlocked('c')).toBe(false);
  });

  it('SELECT ... FOR UPDATE in autocommit locks only for that statement', () => {
    const e = engine();
    ok(e, 'a', "SELECT stock FROM items WHERE id = 'vase' FOR UPDATE");
    ok(e, 'b', "UPDATE items SET stock = 0 WHERE id = 'vase'");
    expect(e.txOf('a')).toBeUndefined();
  });

  it('waiters are resumed in the order they started waiting (PostgreSQL queues row-lock waiters)', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'a', "UPDATE items SET stock = stock - 1 WHERE id = 'lamp'");
    blocks(e, 'c', "UPDATE items SET stock = stock * 10 WHERE id = 'lamp' RETURNING stock");
    blocks(e, 'b', "UPDATE items SET stock = stock + 1 WHERE id = 'lamp' RETURNING stock");
    ok(e, 'a', 'COMMIT');
    expect(e.takeCompletions().map((c) => [c.session, c.result.ok && c.result.rows[0].stock])).toEqual([
      ['c', 40],
      ['b', 41],
    ]);
  });

  it("a statement's own updates are invisible to itself (no Halloween problem), visible to the next", () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    expect(ok(e, 'a', 'UPDATE kv SET v = v + 1').rowCount).toBe(2);
    expect(ok(e, 'a', 'SELECT SUM(v) FROM kv').rows).toEqual([{ sum: '32' }]);
    ok(e, 'a', 'INSERT INTO kv VALUES (3, 1)');
    expect(ok(e, 'a', 'SELECT COUNT(*) FROM kv').rows).toEqual([{ count: '3' }]);
    expect(ok(e, 'b', 'SELECT COUNT(*) FROM kv').rows).toEqual([{ count: '2' }]);
  });
});

describe('vacuum', () => {
  it('drops versions no snapshot can see, and only those: an old REPEATABLE READ snapshot keeps its rows', () => {
    const e = engine();
    ok(e, 'old', 'BEGIN ISOLATION LEVEL REPEATABLE READ');
    expect(ok(e, 'old', "SELECT stock FROM items WHERE id = 'lamp'").rows).toEqual([{ stock: 5 }]);
    for (let i = 0; i < 100; i++) ok(e, 'w', "UPDATE items SET stock = stock + 1 WHERE id = 'lamp'");
    expect(e.versionCount('items')).toBeGreaterThan(100);
    expect(ok(e, 'old', "SELECT stock FROM items WHERE id = 'lamp'").rows).toEqual([{ stock: 5 }]);
    ok(e, 'old', 'COMMIT');
    for (let i = 0; i < 100; i++) ok(e, 'w', "UPDATE items SET stock = stock + 1 WHERE id = 'lamp'");
    expect(e.versionCount('items')).toBeLessThan(40);
    expect(ok(e, 'r', "SELECT stock FROM items WHERE id = 'lamp'").rows).toEqual([{ stock: 205 }]);
    expect(e.committedRows('items').map((r) => r.id)).toEqual(['lamp', 'vase']);
  });
});

describe('transaction blocks', () => {
  it('an error aborts the block: 25P02 for every statement until ROLLBACK; COMMIT answers ROLLBACK', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'a', "UPDATE items SET stock = 0 WHERE id = 'lamp'");
    expect(err(e, 'a', 'SELECT 1/0 FROM items').sqlstate).toBe('22012');
    expect(err(e, 'a', 'SELECT * FROM items')).toMatchObject({ error: 'in_failed_transaction', sqlstate: '25P02' });
    expect(err(e, 'a', 'BEGIN').sqlstate).toBe('25P02');
    expect(ok(e, 'a', 'COMMIT').command).toBe('ROLLBACK');
    expect(e.committedRows('items').find((r) => r.id === 'lamp')!.stock).toBe(5);
  });

  it("the aborted block's locks are released at the error, not at ROLLBACK", () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'a', "UPDATE items SET stock = 0 WHERE id = 'lamp'");
    blocks(e, 'b', "UPDATE items SET stock = 1 WHERE id = 'lamp'");
    err(e, 'a', 'SELECT nope FROM items');
    expect(e.takeCompletions()[0]).toMatchObject({ session: 'b', result: { ok: true, rowCount: 1 } });
  });

  it('warnings, not errors, for COMMIT without a block, BEGIN inside one, and SET LOCAL outside one', () => {
    const e = engine();
    expect(ok(e, 'a', 'COMMIT').warning).toBe('there is no transaction in progress');
    ok(e, 'a', 'BEGIN');
    expect(ok(e, 'a', 'BEGIN').warning).toBe('there is already a transaction in progress');
    ok(e, 'a', 'ROLLBACK');
    expect(ok(e, 'a', "SET LOCAL lock_timeout = '1s'").warning).toMatch(/SET LOCAL can only be used in transaction blocks/);
    expect(e.timeouts('a')).toEqual({ lockTimeoutMs: null, statementTimeoutMs: null });
  });

  it('SET TRANSACTION ISOLATION LEVEL must come before the first query', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'a', 'SELECT 1 FROM kv');
    expect(err(e, 'a', 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ').sqlstate).toBe('25001');
  });
});

describe('unique keys', () => {
  it('a duplicate key is 23505 naming the constraint', () => {
    const e = engine();
    expect(err(e, 'a', "INSERT INTO items (id, stock) VALUES ('vase', 1)")).toMatchObject({
      error: 'unique_violation',
      sqlstate: '23505',
      message: 'duplicate key value violates unique constraint "items_pkey"',
    });
  });

  it('an insert of a key another transaction is inserting waits, then 23505 if it commits or proceeds if it rolls back', () => {
    const e = engine();
    ok(e, 'a', 'BEGIN');
    ok(e, 'a', 'INSERT INTO kv VALUES (3, 1)');
    blocks(e, 'b', 'INSERT INTO kv VALUES (3, 2)');
    ok(e, 'a', 'COMMIT');
    expect(e.takeCompletions()[0].result).toMatchObject({ sqlstate: '23505' });
    ok(e, 'a', 'BEGIN');
    ok(e, 'a', 'INSERT INTO kv VALUES (4, 1)');
    blocks(e, 'b', 'INSERT INTO kv VALUES (4, 2)');
    ok(e, 'a', 'ROLLBACK');
    expect(e.takeCompletions()[0].result).toMatchObject({ ok: true, rowCount: 1 });
  });

  it('ON CONFLICT DO NOTHING inserts nothing on a conflict; with a target it covers only that key', () => {
    const e = engine({
      tables: [{ name: 'r', columns: [{ name: 'id', type: 'int4' }, { name: 'order_id', type: 'text' }], primaryKey: ['id'], unique: [['order_id']], rows: [{ id: 1, order_id: 'o1' }] }],
    });
    expect(ok(e, 'a', "INSERT INTO r VALUES (2, 'o1') ON CONFLICT DO NOTHING").rowCount).toBe(0);
    expect(ok(e, 'a', "INSERT INTO r VALUES (2, 'o1') ON CONFLICT (order_id) DO NOTHING").rowCount).toBe(0);
    expect(err(e, 'a', "INSERT INTO r VALUES (1, 'o2') ON CONFLICT (order_id) DO NOTHING").message).toContain('"r_pkey"');
    expect(err(e, 'a', "INSERT INTO r VALUES (3, 'o1')").message).toContain('"r_order_id_key"');
    expect(err(e, 'a', "INSERT INTO r VALUES (3, 'o3') ON CONFLICT (id, order_id) DO NOTHING").sqlstate).toBe('42P10');
  });
});
