/**
 * sql-for-update and sql-for-update-autocommit: `SELECT stock ... FOR UPDATE`, check, then
 * UPDATE stock to the computed number. In a transaction (sql-for-update) the row lock is held
 * until COMMIT, so the read and the write are not separated by anyone else's: safe. Sent in
 * autocommit (sql-for-update-autocommit: the same statements through ctx.sql.query, a mistake
 * that ORMs and connection pools make easy) each statement is its own transaction: the lock
 * ends with the SELECT, and the read-then-write race is back.
 */
import type { Proc } from '../../../sim/process.js';
import type { OrderAnswer } from '../../types.js';
import type { OrderContext, Strategy } from '../../strategy.js';
import { itemsOf, readCheckWriteTx, SELECT_STOCK_FOR_UPDATE, SET_STOCK, stockOf } from './common.js';
import { park } from '../common.js';

export const sqlForUpdate: Strategy = {
  name: 'sql-for-update',
  summary: 'SELECT ... FOR UPDATE, check, UPDATE, in one READ COMMITTED transaction: the row lock spans read and write (safe)',
  safe: true,
  sql: true,
  *placeOrder(ctx) {
    return yield* readCheckWriteTx(ctx, SELECT_STOCK_FOR_UPDATE);
  },
};

export const sqlForUpdateAutocommit: Strategy = {
  name: 'sql-for-update-autocommit',
  summary: 'the same SELECT ... FOR UPDATE and UPDATE, but each in autocommit: the lock ends with the SELECT (oversells)',
  safe: false,
  sql: true,
  placeOrder: autocommitForUpdate,
};

function* autocommitForUpdate(ctx: OrderContext): Proc<OrderAnswer> {
  for (const [item, qty] of itemsOf(ctx.order.lines)) {
    const r = yield* ctx.sql.query(SELECT_STOCK_FOR_UPDATE, [item]);
    if (!r.ok) return 'FAILED';
    const stock = stockOf(r);
    if (stock === null || stock < qty) return 'OUT_OF_STOCK';
    const w = yield* ctx.sql.query(SET_STOCK, [item, stock - qty]);
    if (!w.ok) return w.error === 'unknown' ? yield* park(ctx, 'UPDATE', 1) : 'FAILED';
  }
  return 'ORDER_PLACED';
}
