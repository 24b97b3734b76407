/**
 * sql-unguarded-decrement: check the stock with a SELECT, then the atomic
 * `UPDATE items SET stock = stock - $2` with no `AND stock >= $2`, each in autocommit. The
 * decrement itself never loses an update, so the books balance (stock = initial - sold); but
 * two orders that both saw 1 both decrement, and the stock goes to -1: a vase sold that does
 * not exist.
 */
import type { Strategy } from '../../strategy.js';
import { commitOrder, DECREMENT_UNGUARDED, giveUp, itemsOf, SELECT_STOCK, stockOf } from './common.js';
import { park } from '../common.js';

export const sqlUnguardedDecrement: Strategy = {
  name: 'sql-unguarded-decrement',
  summary: 'SELECT stock to check, then an atomic UPDATE stock = stock - qty with no guard (autocommit): stock goes negative',
  safe: false,
  sql: true,
  *placeOrder(ctx) {
    const items = itemsOf(ctx.order.lines);
    for (const [item, qty] of items) {
      const r = yield* ctx.sql.query(SELECT_STOCK, [item]);
      if (!r.ok) return 'FAILED';
      const stock = stockOf(r);
      if (stock === null || stock < qty) return 'OUT_OF_STOCK';
    }
    // One line is the common case; a cart's decrements share a transaction, as a careful team's would.
    if (items.length === 1) {
      const w = yield* ctx.sql.query(DECREMENT_UNGUARDED, [items[0][0], items[0][1]]);
      if (w.ok) return 'ORDER_PLACED';
      // No reply: it may have committed (autocommit). Unknown is not failed.
      return w.error === 'unknown' ? yield* park(ctx, 'decrement', 1) : 'FAILED';
    }
    const tx = yield* ctx.sql.begin();
    if (!tx.begun.ok) return 'FAILED';
    for (const [item, qty] of items) {
      const w = yield* tx.query(DECREMENT_UNGUARDED, [item, qty]);
      if (!w.ok) return yield* giveUp(tx, w);
    }
    const c = yield* commitOrder(ctx, tx);
    return typeof c === 'string' ? c : 'FAILED';
  },
};
