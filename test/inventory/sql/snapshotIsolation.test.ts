import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../../../src/inventory/sql/parse.js';
import { blocks, engine, err, ok } from './helpers.js';

beforeAll(() => loadSqlParser());

const RR = 'BEGIN ISOLATION LEVEL REPEATABLE READ';
const SER = 'BEGIN ISOLATION LEVEL SERIALIZABLE';

describe('REPEATABLE READ (snapshot isolation)', () => {
  it('takes its snapshot at the first statement that is not BEGIN or SET, not at BEGIN', () => {
    const e = engine();
    ok(e, 'a', RR);
    ok(e, 'a', "SET LOCAL lock_timeout = '1s'");
    ok(e, 'b', 'UPDATE kv SET v = 11 WHERE id = 1');
    expect(ok(e, 'a', 'SELECT v FROM kv WHERE id = 1').rows).toEqual([{ v: 11 }]);
    ok(e, 'b', 'UPDATE kv SET v = 12 WHERE id = 1');
    expect(ok(e, 'a', 'SELECT v FROM kv WHERE id = 1').rows).toEqual([{ v: 11 }]);
  });

  it('first updater wins: changing a row another transaction changed and committed fails with 40001', () => {
    const e = engine();
    ok(e, 'a', RR);
    ok(e, 'a', 'SELECT * FROM kv');
    ok(e, 'b', 'UPDATE kv SET v = 0 WHERE id = 1');
    expect(err(e, 'a', 'UPDATE kv SET v = v + 1 WHERE id = 1')).toMatchObject({
      error: 'serialization_failure',
      sqlstate: '40001',
      message: 'could not serialize access due to concurrent update',
    });
    ok(e, 'a', 'ROLLBACK');
    ok(e, 'a', RR);
    ok(e, 'a', 'SELECT * FROM kv');
    ok(e, 'b', 'DELETE FROM kv WHERE id = 2');
    expect(err(e, 'a', 'SELECT * FROM kv WHERE id = 2 FOR UPDATE').message).toBe('could not serialize access due to concurrent delete');
  });

  it('after waiting: 40001 if the other committed, proceeds if it rolled back', () => {
    const e = engine();
    for (const s of ['a', 'b']) ok(e, s, RR);
    ok(e, 'a', 'UPDATE kv SET v = 1 WHERE id = 1');
    blocks(e, 'b', 'UPDATE kv SET v = 2 WHERE id = 1');
    ok(e, 'a', 'ROLLBACK');
    expect(e.takeCompletions()[0].result).toMatchObject({ ok: true, rowCount: 1 });
    ok(e, 'b', 'COMMIT');
    for (const s of ['a', 'b']) ok(e, s, RR);
    ok(e, 'a', 'UPDATE kv SET v = 3 WHERE id = 1');
    blocks(e, 'b', 'UPDATE kv SET v = 4 WHERE id = 1');
    ok(e, 'a', 'COMMIT');
    expect(e.takeCompletions()[0].result).toMatchObject({ ok: false, sqlstate: '40001' });
  });

  it('a read-only transaction never fails so, however much others write', () => {
    const e = engine();
    ok(e, 'a', RR);
    expect(ok(e, 'a', 'SELECT SUM(v) FROM kv').rows).toEqual([{ sum: '30' }]);
    ok(e, 'b', 'UPDATE kv SET v = v * 2');
    ok(e, 'b', 'DELETE FROM kv WHERE id = 1');
    ok(e, 'b', 'INSERT INTO kv VALUES (9, 9)');
    expect(ok(e, 'a', 'SELECT SUM(v), COUNT(*) FROM kv').rows).toEqual([{ sum: '30', count: '2' }]);
    expect(ok(e, 'a', 'COMMIT').command).toBe('COMMIT');
  });

  it('allows write skew: two SUM checks, two inserts, both commit', () => {
    const e = engine();
    for (const s of ['a', 'b']) {
      ok(e, s, RR);
      expect(ok(e, s, 'SELECT SUM(v) FROM kv').rows).toEqual([{ sum: '30' }]);
    }
    ok(e, 'a', 'INSERT INTO kv VALUES (3, 1)');
    ok(e, 'b', 'INSERT INTO kv VALUES (4, 1)');
    expect(ok(e, 'a', 'COMMIT').command).toBe('COMMIT');
    expect(ok(e, 'b', 'COMMIT').command).toBe('COMMIT');
  });
});

describe('SERIALIZABLE (SSI)', () => {
  it('write skew: the second to commit fails with 40001 "read/write dependencies"', () => {
    const e = engine();
    for (const s of ['a', 'b']) {
      ok(e, s, SER);
      ok(e, s, 'SELECT SUM(v) FROM kv');
    }
    ok(e, 'a', 'INSERT INTO kv VALUES (3, 1)');
    ok(e, 'b', 'INSERT INTO kv VALUES (4, 1)');
    expect(ok(e, 'a', 'COMMIT').command).toBe('COMMIT');
    expect(err(e, 'b', 'COMMIT')).toMatchObject({
      sqlstate: '40001',
      message: 'could not serialize access due to read/write dependencies among transactions',
    });
    expect(e.committedRows('kv').map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('a writer whose pivot already committed fails at its write (Fekete et al.): "during write"', () => {
    const e = engine();
    ok(e, 't1', SER);
    ok(e, 't1', 'SELECT * FROM kv');
    ok(e, 't2', SER);
    ok(e, 't2', 'UPDATE kv SET v = v + 5 WHERE id = 2');
    ok(e, 't2', 'COMMIT');
    ok(e, 't3', SER);
    ok(e, 't3', 'SELECT * FROM kv');
    ok(e, 't3', 'COMMIT');
    expect(err(e, 't1', 'UPDATE kv SET v = 0 WHERE id = 1').sqlstate).toBe('40001');
  });

  it('disjoint keys read and written do not conflict: both commit', () => {
    const e = engine();
    for (const s of ['a', 'b']) ok(e, s, SER);
    ok(e, 'a', 'SELECT v FROM kv WHERE id = 1');
    ok(e, 'b', 'SELECT v FROM kv WHERE id = 2');
    ok(e, 'a', 'UPDATE kv SET v = 0 WHERE id = 1');
    ok(e, 'b', 'UPDATE kv SET v = 0 WHERE id = 2');
    expect(ok(e, 'a', 'COMMIT').command).toBe('COMMIT');
    expect(ok(e, 'b', 'COMMIT').command).toBe('COMMIT');
  });

  it('a transaction that rolls back takes its conflicts with it', () => {
    const e = engine();
    for (const s of ['a', 'b']) {
      ok(e, s, SER);
      ok(e, s, 'SELECT SUM(v) FROM kv');
    }
    ok(e, 'a', 'INSERT INTO kv VALUES (3, 1)');
    ok(e, 'b', 'INSERT INTO kv VALUES (4, 1)');
    ok(e, 'a', 'ROLLBACK');
    expect(ok(e, 'b', 'COMMIT').command).toBe('COMMIT');
  });

  it('at REPEATABLE READ the same schedule commits both (SSI is only for SERIALIZABLE)', () => {
    const e = engine({ defaultIsolation: 'repeatable read' });
    for (const s of ['a', 'b']) {
      ok(e, s, 'BEGIN');
      ok(e, s, 'SELECT SUM(v) FROM kv');
    }
    ok(e, 'a', 'INSERT INTO kv VALUES (3, 1)');
    ok(e, 'b', 'INSERT INTO kv VALUES (4, 1)');
    ok(e, 'a', 'COMMIT');
    expect(ok(e, 'b', 'COMMIT').command).toBe('COMMIT');
  });
});
