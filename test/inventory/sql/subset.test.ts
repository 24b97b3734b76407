import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { SqlEngine } from '../../../src/inventory/sql/engine.js';
import { loadSqlParser, parseStatements } from '../../../src/inventory/sql/parse.js';
import { engine, err, ok } from './helpers.js';

beforeAll(() => loadSqlParser());

describe('the SQL subset: refusals name the construct in one line', () => {
  const cases: [string, RegExp][] = [
    ['SELECT * FROM items JOIN kv ON true', /^JOIN is not in oversold's SQL subset$/],
    ['SELECT * FROM items, kv', /^a SELECT over several tables is not/],
    ['SELECT id, count(*) FROM items GROUP BY id', /^GROUP BY is not/],
    ['SELECT * FROM items WHERE stock > (SELECT 1)', /^a subquery is not/],
    ['SELECT * FROM (SELECT 1) t', /^a subquery in FROM is not/],
    ["INSERT INTO kv VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET v = 2", /^ON CONFLICT DO UPDATE is not/],
    ['SELECT 1; SELECT 2', /^several statements in one query are not/],
    ['SAVEPOINT a', /^SAVEPOINT is not/],
    ['SELECT * FROM items FOR UPDATE NOWAIT', /^NOWAIT is not/],
    ['SELECT * FROM items FOR UPDATE SKIP LOCKED', /^SKIP LOCKED is not/],
    ['SELECT lower(id) FROM items', /^the function lower\(\) is not/],
    ['SELECT DISTINCT id FROM items', /^DISTINCT is not/],
    ['WITH x AS (SELECT 1) SELECT * FROM items', /^WITH is not/],
    ['CREATE TABLE t (a int)', /^CREATE TABLE \(tables are declared in the scenario\) is not/],
    ['SET work_mem = 10', /^SET work_mem is not/],
    ["SELECT * FROM items WHERE id LIKE 'v%'", /^LIKE is not/],
    ['BEGIN READ ONLY', /^READ ONLY \/ READ WRITE is not/],
    ['INSERT INTO kv SELECT * FROM kv', /^INSERT \.\.\. SELECT is not/],
    ['UPDATE kv SET v = 1 FROM items', /^UPDATE \.\.\. FROM is not/],
  ];
  for (const [sql, message] of cases) {
    it(sql, () => {
      const f = err(engine(), 's', sql);
      expect(f).toMatchObject({ error: 'unsupported', sqlstate: '0A000' });
      expect(f.message).toMatch(message);
      expect(f.message).not.toContain('\n');
    });
  }

  it("PostgreSQL's own errors for wrong SQL: syntax 42601, unknown column 42703, unknown table 42P01", () => {
    const e = engine();
    expect(err(e, 's', 'SELEC 1').sqlstate).toBe('42601');
    expect(err(e, 's', 'SELECT nope FROM items')).toMatchObject({ sqlstate: '42703', message: 'column "nope" does not exist' });
    expect(err(e, 's', 'SELECT * FROM nope')).toMatchObject({ sqlstate: '42P01', message: 'relation "nope" does not exist' });
    expect(err(e, 's', 'SELECT id, count(*) FROM items').sqlstate).toBe('42803');
    expect(err(e, 's', 'SELECT count(*) FROM items FOR UPDATE').sqlstate).toBe('0A000');
    expect(err(e, 's', 'SELECT * FROM items WHERE id = $1').sqlstate).toBe('08P01');
  });

  it('caches parses by text (the same statement is parsed once)', () => {
    const a = parseStatements('SELECT stock FROM items WHERE id = $1');
    expect(parseStatements('SELECT stock FROM items WHERE id = $1')).toBe(a);
    expect(parseStatements('SELECT stock FROM items WHERE id = $2')).not.toBe(a);
  });

  it('accepts the documented subset', () => {
    const e = engine();
    ok(e, 's', 'BEGIN ISOLATION LEVEL REPEATABLE READ');
    ok(e, 's', "SET LOCAL lock_timeout = '100ms'");
    ok(e, 's', 'SET LOCAL statement_timeout = 2000');
    ok(e, 's', 'SELECT stock FROM items WHERE id = $1 FOR UPDATE', 'vase');
    ok(e, 's', 'SELECT i.stock FROM items AS i WHERE i.id = $1 FOR SHARE', 'vase');
    ok(e, 's', 'SELECT SUM(stock), COUNT(*) FROM items WHERE stock >= 0');
    ok(e, 's', 'UPDATE items SET stock = stock - $2 WHERE id = $1 AND stock >= $2 RETURNING stock', 'lamp', 1);
    ok(e, 's', 'INSERT INTO kv (id, v) VALUES ($1, $2) ON CONFLICT DO NOTHING', 1, 5);
    ok(e, 's', 'INSERT INTO kv (id, v) VALUES (3, 5) ON CONFLICT (id) DO NOTHING');
    ok(e, 's', 'DELETE FROM kv WHERE id = 3 RETURNING v');
    ok(e, 's', 'SELECT * FROM kv WHERE v IS NOT NULL AND NOT (v BETWEEN 1 AND 2) OR id IN (1, 2) ORDER BY v DESC LIMIT 1');
    ok(e, 's', 'COMMIT');
    ok(e, 's', 'START TRANSACTION');
    ok(e, 's', 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
    ok(e, 's', 'ROLLBACK');
  });
});

describe('table specifications', () => {
  const col = (name: string, type = 'int4') => ({ name, type }) as never;
  const cases: [string, unknown, RegExp][] = [
    ['no primary key', { name: 't', columns: [col('a')], primaryKey: [] }, /table "t" needs a primary key/],
    ['an unknown type', { name: 't', columns: [col('a', 'float8')], primaryKey: ['a'] }, /column "a" has type "float8"; use one of int4, int8, numeric, text, bool/],
    ['a key on a missing column', { name: 't', columns: [col('a')], primaryKey: ['b'] }, /the primary key names column "b", which the table does not have/],
    ['a duplicate initial row', { name: 't', columns: [col('a')], primaryKey: ['a'], rows: [{ a: 1 }, { a: 1 }] }, /row 2: duplicate key for t_pkey/],
    ['a row with an unknown column', { name: 't', columns: [col('a')], primaryKey: ['a'], rows: [{ a: 1, b: 2 }] }, /row 1: no column "b"/],
    ['a value of the wrong type', { name: 't', columns: [col('a')], primaryKey: ['a'], rows: [{ a: 'x' }] }, /row 1: invalid input syntax/],
  ];
  for (const [what, spec, message] of cases) {
    it(`${what} is bad input (InputError, exit 2, one line)`, () => {
      let thrown: unknown;
      try {
        new SqlEngine({ tables: [spec as never] });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(InputError);
      expect((thrown as InputError).exitCode).toBe(2);
      expect((thrown as InputError).message).toMatch(message);
      expect((thrown as InputError).message).not.toContain('\n');
    });
  }
});

describe('values have the JavaScript types pg returns', () => {
  it('int4 is a number; int8, numeric, SUM and COUNT are strings; bool is a boolean', () => {
    const e = engine();
    const r = ok(e, 's', "SELECT id, stock, price, sold, reduced, stock + 1 AS next FROM items WHERE id = 'vase'");
    expect(r.rows).toEqual([{ id: 'vase', stock: 1, price: '9.50', sold: '0', reduced: false, next: 2 }]);
    expect(r.fields).toEqual(['id', 'stock', 'price', 'sold', 'reduced', 'next']);
    const a = ok(e, 's', 'SELECT SUM(stock), COUNT(*), SUM(sold), SUM(price), MAX(stock) FROM items');
    expect(a.rows).toEqual([{ sum: '19.00', count: '2', max: 5 }]);
    const b = ok(e, 's', 'SELECT SUM(stock) AS s, COUNT(stock) AS c, COALESCE(SUM(stock), 0) AS z FROM items WHERE stock > 100');
    // COALESCE takes its arguments' common type: sum(int4) is int8, so the 0 comes back as "0".
    expect(b.rows).toEqual([{ s: null, c: '0', z: '0' }]);
    expect(ok(e, 's', 'SELECT COALESCE(stock, 0) AS a, COALESCE(NULL, stock) AS b FROM items WHERE id = $1', 'vase').rows).toEqual([{ a: 1, b: 1 }]);
  });

  it('arithmetic is exact and checked: integer division truncates, overflow is 22003, division by zero 22012', () => {
    const e = engine();
    expect(ok(e, 's', 'SELECT -7 / 2 AS q, -7 % 2 AS r, price * 2 AS p FROM items WHERE id = $1', 'vase').rows).toEqual([{ q: -3, r: -1, p: '19.00' }]);
    expect(err(e, 's', 'SELECT stock * 2147483647 FROM items WHERE id = $1', 'lamp')).toMatchObject({ sqlstate: '22003', message: 'integer out of range' });
    expect(err(e, 's', 'SELECT stock / 0 FROM items')).toMatchObject({ sqlstate: '22012' });
    expect(ok(e, 's', 'SELECT 3000000000 AS big FROM items WHERE id = $1', 'vase').rows).toEqual([{ big: '3000000000' }]);
  });

  it('parameters take the type their context gives them (pg sends text)', () => {
    const e = engine();
    expect(ok(e, 's', 'SELECT stock FROM items WHERE id = $1 AND stock >= $2', 'lamp', '2').rows).toEqual([{ stock: 5 }]);
    expect(ok(e, 's', 'UPDATE items SET sold = $2 WHERE id = $1 RETURNING sold', 'lamp', 7).rows).toEqual([{ sold: '7' }]);
    expect(err(e, 's', 'SELECT stock FROM items WHERE stock = $1', 'many').sqlstate).toBe('22P02');
  });

  it('NULL follows three-valued logic: a WHERE keeps only true rows', () => {
    const e = engine();
    ok(e, 's', 'INSERT INTO kv (id) VALUES (3)');
    expect(ok(e, 's', 'SELECT id FROM kv WHERE v > 0 OR v IS NULL ORDER BY id').rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(ok(e, 's', 'SELECT id FROM kv WHERE NOT (v > 15)').rows.map((r) => r.id)).toEqual([1]);
    expect(ok(e, 's', 'SELECT id FROM kv WHERE v NOT IN (10, NULL)').rows).toEqual([]);
    expect(err(e, 's', 'INSERT INTO items (id) VALUES ($1)', 'rug')).toMatchObject({ sqlstate: '23502', error: 'not_null_violation' });
  });
});
