/**
 * oversold's own conformance schedules, beyond Hermitage: the behaviours the inventory
 * strategies rely on (the guarded decrement's EvalPlanQual, FOR UPDATE in and out of a
 * transaction, unique keys and ON CONFLICT under concurrency, deadlock victims, SUM-then-
 * INSERT write skew). Each runs at every level on the simulator and on a real PostgreSQL.
 */
import type { Schedule, ScheduleStep } from './schedule.js';
import type { TableSpec } from './types.js';

export const ITEMS_TABLE: TableSpec = {
  name: 'items',
  columns: [
    { name: 'id', type: 'text' },
    { name: 'stock', type: 'int4', notNull: true },
    { name: 'reduced', type: 'bool', default: false },
  ],
  primaryKey: ['id'],
  rows: [
    { id: 'vase', stock: 1, reduced: false },
    { id: 'lamp', stock: 5, reduced: false },
  ],
};

export const RESERVATIONS_TABLE: TableSpec = {
  name: 'reservations',
  columns: [
    { name: 'order_id', type: 'text' },
    { name: 'item', type: 'text', notNull: true },
    { name: 'qty', type: 'int8', notNull: true },
  ],
  primaryKey: ['order_id'],
  rows: [{ order_id: 'o0', item: 'vase', qty: 1 }],
};

export const KV_TABLE: TableSpec = {
  name: 'kv',
  columns: [
    { name: 'id', type: 'int4' },
    { name: 'v', type: 'int4' },
  ],
  primaryKey: ['id'],
  rows: [1, 2, 3, 4].map((id) => ({ id, v: id * 10 })),
};

export interface ExtraCase {
  readonly name: string;
  readonly what: string;
  readonly tables: readonly TableSpec[];
  /** Steps; "{level}" in a statement becomes the isolation level. */
  readonly steps: readonly ScheduleStep[];
}

const s = (session: string, sql: string, ...params: unknown[]): ScheduleStep => ({ session, sql, params });
const BEGIN = 'begin isolation level {level}';

export const EXTRA_CASES: readonly ExtraCase[] = [
  {
    name: 'guarded-decrement',
    what: 'UPDATE ... WHERE stock >= $1 re-checks the guard after waiting (EvalPlanQual): the second order gets 0 rows',
    tables: [ITEMS_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('A', 'UPDATE items SET stock = stock - $2 WHERE id = $1 AND stock >= $2 RETURNING stock', 'vase', 1),
      s('B', 'UPDATE items SET stock = stock - $2 WHERE id = $1 AND stock >= $2 RETURNING stock', 'vase', 1),
      s('A', 'COMMIT'),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'epq-keeps-the-lock',
    what: 'a guarded UPDATE that waited and no longer qualifies still holds the row lock it took to re-check',
    tables: [ITEMS_TABLE],
    steps: [
      s('A', BEGIN),
      s('A', 'UPDATE items SET stock = 1 WHERE id = $1', 'lamp'),
      s('B', BEGIN),
      s('B', 'UPDATE items SET stock = stock - $2 WHERE id = $1 AND stock >= $2', 'lamp', 5),
      s('A', 'COMMIT'),
      s('C', 'UPDATE items SET stock = 0 WHERE id = $1', 'lamp'),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'unguarded-decrement',
    what: 'UPDATE ... SET stock = stock - 1 without a guard: both succeed, stock goes negative',
    tables: [ITEMS_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('A', 'UPDATE items SET stock = stock - 1 WHERE id = $1 RETURNING stock', 'vase'),
      s('B', 'UPDATE items SET stock = stock - 1 WHERE id = $1 RETURNING stock', 'vase'),
      s('A', 'COMMIT'),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'read-then-write',
    what: 'SELECT stock, then UPDATE SET stock = computed value: a lost update at READ COMMITTED',
    tables: [ITEMS_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('A', 'SELECT stock FROM items WHERE id = $1', 'vase'),
      s('B', 'SELECT stock FROM items WHERE id = $1', 'vase'),
      s('A', 'UPDATE items SET stock = $2 WHERE id = $1', 'vase', 0),
      s('B', 'UPDATE items SET stock = $2 WHERE id = $1', 'vase', 0),
      s('A', 'COMMIT'),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'for-update-in-transaction',
    what: 'SELECT ... FOR UPDATE in a transaction holds the row until COMMIT; the second reader sees the new stock',
    tables: [ITEMS_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('A', 'SELECT stock FROM items WHERE id = $1 FOR UPDATE', 'vase'),
      s('B', 'SELECT stock FROM items WHERE id = $1 FOR UPDATE', 'vase'),
      s('A', 'UPDATE items SET stock = $2 WHERE id = $1', 'vase', 0),
      s('A', 'COMMIT'),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'for-update-autocommit',
    what: 'SELECT ... FOR UPDATE outside a transaction locks only for that statement',
    tables: [ITEMS_TABLE],
    steps: [
      s('A', 'SELECT stock FROM items WHERE id = $1 FOR UPDATE', 'vase'),
      s('B', 'SELECT stock FROM items WHERE id = $1 FOR UPDATE', 'vase'),
      s('A', 'UPDATE items SET stock = $2 WHERE id = $1', 'vase', 0),
      s('B', 'UPDATE items SET stock = $2 WHERE id = $1', 'vase', 0),
      s('A', 'SELECT id, stock FROM items ORDER BY id'),
    ],
  },
  {
    name: 'for-share-then-update',
    what: 'two FOR SHARE locks coexist; an UPDATE waits for both',
    tables: [ITEMS_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('C', BEGIN),
      s('A', 'SELECT stock FROM items WHERE id = $1 FOR SHARE', 'lamp'),
      s('B', 'SELECT stock FROM items WHERE id = $1 FOR SHARE', 'lamp'),
      s('C', 'UPDATE items SET stock = stock - 1 WHERE id = $1', 'lamp'),
      s('A', 'COMMIT'),
      s('B', 'COMMIT'),
      s('C', 'COMMIT'),
    ],
  },
  {
    name: 'deadlock',
    what: 'two transactions lock two rows in opposite orders: the one that waited first is the victim (40P01)',
    tables: [ITEMS_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('A', "UPDATE items SET stock = stock - 1 WHERE id = 'vase'"),
      s('B', "UPDATE items SET stock = stock - 1 WHERE id = 'lamp'"),
      s('A', "UPDATE items SET stock = stock - 1 WHERE id = 'lamp'"),
      s('B', "UPDATE items SET stock = stock - 1 WHERE id = 'vase'"),
      s('A', 'COMMIT'),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'unique-insert-race',
    what: 'two transactions insert the same key: the second waits, then 23505 when the first commits',
    tables: [RESERVATIONS_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('A', 'INSERT INTO reservations (order_id, item, qty) VALUES ($1, $2, $3)', 'o1', 'vase', 1),
      s('B', 'INSERT INTO reservations (order_id, item, qty) VALUES ($1, $2, $3)', 'o1', 'vase', 1),
      s('A', 'COMMIT'),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'on-conflict-do-nothing',
    what: 'INSERT ... ON CONFLICT DO NOTHING waits for the in-flight insert, then inserts nothing (40001 at REPEATABLE READ and above: the row is not in its snapshot)',
    tables: [RESERVATIONS_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('B', 'SELECT count(*) FROM reservations'),
      s('A', 'INSERT INTO reservations (order_id, item, qty) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', 'o1', 'vase', 1),
      s('B', 'INSERT INTO reservations (order_id, item, qty) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING order_id', 'o1', 'vase', 2),
      s('A', 'COMMIT'),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'on-conflict-skip-is-not-a-read',
    what: "ON CONFLICT DO NOTHING's skip takes no SIRead lock in PostgreSQL: at SERIALIZABLE a transaction may skip a row and later insert it after another deleted it",
    tables: [RESERVATIONS_TABLE],
    steps: [
      s('B', BEGIN),
      s('B', 'INSERT INTO reservations (order_id, item, qty) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', 'o0', 'vase', 2),
      s('A', BEGIN),
      s('A', 'DELETE FROM reservations WHERE order_id = $1', 'o0'),
      s('A', 'COMMIT'),
      s('B', 'INSERT INTO reservations (order_id, item, qty) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', 'o0', 'vase', 3),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'aborted-insert-frees-key',
    what: 'a waiting insert proceeds when the conflicting insert rolls back',
    tables: [RESERVATIONS_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('A', 'INSERT INTO reservations (order_id, item, qty) VALUES ($1, $2, $3)', 'o1', 'vase', 1),
      s('B', 'INSERT INTO reservations (order_id, item, qty) VALUES ($1, $2, $3)', 'o1', 'vase', 1),
      s('A', 'ROLLBACK'),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'sum-then-insert',
    what: 'a reservation checked by SUM then INSERTed: write skew at REPEATABLE READ, 40001 at SERIALIZABLE',
    tables: [RESERVATIONS_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('A', 'SELECT COALESCE(SUM(qty), 0) AS held, COUNT(*) FROM reservations WHERE item = $1', 'vase'),
      s('B', 'SELECT COALESCE(SUM(qty), 0) AS held, COUNT(*) FROM reservations WHERE item = $1', 'vase'),
      s('A', 'INSERT INTO reservations (order_id, item, qty) VALUES ($1, $2, $3)', 'o1', 'vase', 1),
      s('B', 'INSERT INTO reservations (order_id, item, qty) VALUES ($1, $2, $3)', 'o2', 'vase', 1),
      s('A', 'COMMIT'),
      s('B', 'COMMIT'),
      s('A', 'SELECT SUM(qty) FROM reservations'),
    ],
  },
  {
    name: 'reduced-flag',
    what: 'a "reduced" flag read before the decrement and set after it: two handlers of one order both reduce',
    tables: [ITEMS_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('A', 'SELECT reduced FROM items WHERE id = $1', 'lamp'),
      s('B', 'SELECT reduced FROM items WHERE id = $1', 'lamp'),
      s('A', 'UPDATE items SET stock = stock - 1, reduced = true WHERE id = $1 RETURNING stock, reduced', 'lamp'),
      s('B', 'UPDATE items SET stock = stock - 1, reduced = true WHERE id = $1 RETURNING stock, reduced', 'lamp'),
      s('A', 'COMMIT'),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'ssi-index-page',
    what: 'a primary-key lookup locks the index page: an insert of another key conflicts with it (a false positive PostgreSQL has, so the engine has it too)',
    tables: [KV_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('A', 'SELECT * FROM kv WHERE id = 1'),
      s('B', 'SELECT * FROM kv WHERE id = 2'),
      s('A', 'UPDATE kv SET v = 0 WHERE id = 2'),
      s('B', 'INSERT INTO kv VALUES (5, 1)'),
      s('A', 'COMMIT'),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'ssi-page-promotion',
    what: 'three tuple locks on one page become a page lock (max_pred_locks_per_page = 2): an update of another row then conflicts',
    tables: [KV_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('A', 'SELECT * FROM kv WHERE id IN (1, 2, 3)'),
      s('B', 'SELECT * FROM kv WHERE id = 4'),
      s('B', 'UPDATE kv SET v = 0 WHERE id = 4'),
      s('A', 'INSERT INTO kv VALUES (5, 1)'),
      s('A', 'COMMIT'),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'ssi-two-tuple-locks',
    what: 'two tuple locks stay tuple locks: the same schedule reading two rows commits both',
    tables: [KV_TABLE],
    steps: [
      s('A', BEGIN),
      s('B', BEGIN),
      s('A', 'SELECT * FROM kv WHERE id IN (1, 2)'),
      s('B', 'SELECT * FROM kv WHERE id = 4'),
      s('B', 'UPDATE kv SET v = 0 WHERE id = 4'),
      s('A', 'INSERT INTO kv VALUES (5, 1)'),
      s('A', 'COMMIT'),
      s('B', 'COMMIT'),
    ],
  },
  {
    name: 'ssi-read-missing-key-then-insert',
    what: 'a serializable transaction reads a missing key, another inserts it and commits: inserting it too is 23505 (PostgreSQL 15 does not turn it into 40001)',
    tables: [KV_TABLE],
    steps: [
      s('A', BEGIN),
      s('A', 'SELECT * FROM kv WHERE id = 7'),
      s('B', BEGIN),
      s('B', 'INSERT INTO kv VALUES (7, 1)'),
      s('B', 'COMMIT'),
      s('A', 'INSERT INTO kv VALUES (7, 2)'),
      s('A', 'COMMIT'),
    ],
  },
  {
    name: 'errors-abort-the-block',
    what: 'after an error a transaction refuses statements (25P02) until ROLLBACK; arithmetic and types as pg returns them',
    tables: [ITEMS_TABLE, RESERVATIONS_TABLE],
    steps: [
      s('A', BEGIN),
      s('A', 'SELECT id, stock, stock * 2 AS twice, reduced FROM items WHERE id = $1', 'lamp'),
      s('A', 'SELECT SUM(qty), COUNT(*), MIN(qty), MAX(order_id) FROM reservations'),
      s('A', 'SELECT SUM(stock) AS total, COUNT(*) AS n FROM items WHERE stock BETWEEN 1 AND 10 AND id IN ($1, $2)', 'lamp', 'vase'),
      s('A', 'UPDATE items SET stock = stock / 0 WHERE id = $1', 'lamp'),
      s('A', 'SELECT 1 FROM items'),
      s('A', 'COMMIT'),
      s('A', 'INSERT INTO items (id, stock) VALUES ($1, $2) RETURNING *', 'rug', 3),
      s('A', 'INSERT INTO items (id, stock) VALUES ($1, $2)', 'rug', 4),
      s('A', 'DELETE FROM items WHERE stock < $1 RETURNING id', 2),
      s('A', 'SELECT id, stock FROM items ORDER BY stock DESC, id LIMIT 2'),
    ],
  },
];

export function extraSchedule(c: ExtraCase, isolation: string): Schedule {
  return { tables: c.tables, steps: c.steps.map((st) => ({ ...st, sql: st.sql.replace('{level}', isolation) })) };
}
