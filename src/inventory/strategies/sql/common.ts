/**
 * What the SQL strategies share: the statements they send (the default `items (id, stock)`
 * table), the order's items in a fixed order (so two orders lock rows in the same order and
 * do not deadlock), and how a transaction ends. The rule of every strategy here: answer FAILED
 * only when nothing committed. A statement that failed or got no reply before COMMIT leaves
 * nothing committed (the transaction is rolled back, or its connection dropped); a COMMIT that
 * got no reply is an unknown outcome, and the order is left unanswered rather than guessed.
 */
import type { Proc } from '../../../sim/process.js';
import type { OrderAnswer } from '../../types.js';
import { qtyByItem, type OrderLine } from '../../types.js';
import type { OrderContext, SqlQueryResult, SqlTransaction } from '../../strategy.js';
import { park } from '../common.js';

export const SELECT_STOCK = 'SELECT stock FROM items WHERE id = $1';
export const SELECT_STOCK_FOR_UPDATE = 'SELECT stock FROM items WHERE id = $1 FOR UPDATE';
export const SET_STOCK = 'UPDATE items SET stock = $2 WHERE id = $1';
export const DECREMENT_UNGUARDED = 'UPDATE items SET stock = stock - $2 WHERE id = $1';
export const DECREMENT_GUARDED = 'UPDATE items SET stock = stock - $2 WHERE id = $1 AND stock >= $2';

/** The order's (item, qty) pairs, items sorted: rows are locked in one global order. */
export function itemsOf(lines: readonly OrderLine[]): Array<[string, number]> {
  return [...qtyByItem(lines)].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The stock a `SELECT stock ...` answered (int4: a number), or null when the item has no row. */
export function stockOf(r: SqlQueryResult): number | null {
  if (!r.ok || r.rows.length === 0) return null;
  return Number(r.rows[0].stock);
}

/** A statement before COMMIT failed: roll back (unless the connection is already gone) and answer FAILED. */
export function* giveUp(tx: SqlTransaction, r: SqlQueryResult): Proc<OrderAnswer> {
  if (r.ok || r.error !== 'unknown') yield* tx.rollback();
  return 'FAILED';
}

/** The answer to OUT_OF_STOCK: roll back first, so no lock outlives the decision. */
export function* outOfStock(tx: SqlTransaction): Proc<OrderAnswer> {
  yield* tx.rollback();
  return 'OUT_OF_STOCK';
}

/**
 * COMMIT: placed when it committed; FAILED when the server refused it (nothing committed:
 * a serialization failure, an aborted block); left unanswered when no reply came.
 */
export function* commitOrder(ctx: OrderContext, tx: SqlTransaction): Proc<OrderAnswer | SqlQueryResult> {
  const r = yield* tx.commit();
  if (r.ok && r.command === 'COMMIT') return 'ORDER_PLACED';
  if (!r.ok && r.error === 'unknown') return yield* park(ctx, 'COMMIT', 1);
  return r;
}

/**
 * In one READ COMMITTED transaction: SELECT each line's stock with `select`, check it in the
 * app, UPDATE it to the number the app computed, COMMIT. Plain SELECT: the lost update
 * (sql-read-then-write); SELECT ... FOR UPDATE: the row lock spans read and write
 * (sql-for-update).
 */
export function* readCheckWriteTx(ctx: OrderContext, select: string): Proc<OrderAnswer> {
  const tx = yield* ctx.sql.begin();
  if (!tx.begun.ok) return 'FAILED';
  for (const [item, qty] of itemsOf(ctx.order.lines)) {
    const r = yield* tx.query(select, [item]);
    if (!r.ok) return yield* giveUp(tx, r);
    const stock = stockOf(r);
    if (stock === null || stock < qty) return yield* outOfStock(tx);
    const w = yield* tx.query(SET_STOCK, [item, stock - qty]);
    if (!w.ok) return yield* giveUp(tx, w);
  }
  const c = yield* commitOrder(ctx, tx);
  return typeof c === 'string' ? c : 'FAILED';
}

export const isSerializationFailure = (r: SqlQueryResult): boolean => !r.ok && r.sqlstate === '40001';
