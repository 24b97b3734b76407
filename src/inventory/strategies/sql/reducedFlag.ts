/**
 * sql-reduced-flag: a consumer of "order paid" messages, delivered at least once. To make a
 * redelivery harmless it keeps a "stock already reduced" flag per order: it reads the flag,
 * and if it is not set, decrements the stock (guarded) and then sets the flag. Each statement
 * is autocommit. Two deliveries of the same order that run at the same time both read "not
 * reduced" before either sets it, and both decrement: one order, two vases. The flag must be
 * claimed in the same atomic step as the decrement (INSERT the flag row first, in the same
 * transaction, and let the primary key refuse the second), not read before and set after.
 * Its scenario keeps the flags in a table `order_flags (order_id text primary key, reduced bool)`.
 */
import type { Strategy } from '../../strategy.js';
import { DECREMENT_GUARDED, itemsOf } from './common.js';
import { park } from '../common.js';

export const READ_FLAG = 'SELECT reduced FROM order_flags WHERE order_id = $1';
export const SET_FLAG = 'INSERT INTO order_flags (order_id, reduced) VALUES ($1, true) ON CONFLICT DO NOTHING';

export const sqlReducedFlag: Strategy = {
  name: 'sql-reduced-flag',
  summary: 'a "reduced" flag read before and set after the decrement (autocommit): two deliveries of one order both reduce',
  safe: false,
  sql: true,
  *placeOrder(ctx) {
    const flag = yield* ctx.sql.query(READ_FLAG, [ctx.order.id]);
    if (!flag.ok) return 'FAILED';
    if (flag.rows.length > 0 && flag.rows[0].reduced === true) return 'ORDER_PLACED';
    for (const [item, qty] of itemsOf(ctx.order.lines)) {
      const w = yield* ctx.sql.query(DECREMENT_GUARDED, [item, qty]);
      if (!w.ok) return w.error === 'unknown' ? yield* park(ctx, 'decrement', 1) : 'FAILED';
      if (w.rowCount !== 1) return 'OUT_OF_STOCK';
    }
    yield* ctx.sql.query(SET_FLAG, [ctx.order.id]);
    return 'ORDER_PLACED';
  },
};
