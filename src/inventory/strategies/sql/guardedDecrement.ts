/**
 * sql-guarded-decrement: `UPDATE items SET stock = stock - $2 WHERE id = $1 AND stock >= $2`;
 * zero rows updated means out of stock. Safe at READ COMMITTED: the check and the write are one
 * statement, and a second UPDATE that waited for the first one's row lock re-evaluates its
 * WHERE on the committed new version (EvalPlanQual), so it finds stock 0 and updates nothing.
 * One line runs in autocommit; a cart's lines share one transaction, rows locked in item order.
 */
import type { Strategy } from '../../strategy.js';
import { commitOrder, DECREMENT_GUARDED, giveUp, itemsOf, outOfStock } from './common.js';
import { park } from '../common.js';

export const sqlGuardedDecrement: Strategy = {
  name: 'sql-guarded-decrement',
  summary: 'UPDATE ... SET stock = stock - qty WHERE id = $1 AND stock >= qty; 0 rows = out of stock (safe at READ COMMITTED)',
  safe: true,
  sql: true,
  *placeOrder(ctx) {
    const items = itemsOf(ctx.order.lines);
    if (items.length === 1) {
      const w = yield* ctx.sql.query(DECREMENT_GUARDED, [items[0][0], items[0][1]]);
      if (w.ok) return w.rowCount === 1 ? 'ORDER_PLACED' : 'OUT_OF_STOCK';
      return w.error === 'unknown' ? yield* park(ctx, 'decrement', 1) : 'FAILED';
    }
    const tx = yield* ctx.sql.begin();
    if (!tx.begun.ok) return 'FAILED';
    for (const [item, qty] of items) {
      const w = yield* tx.query(DECREMENT_GUARDED, [item, qty]);
      if (!w.ok) return yield* giveUp(tx, w);
      if (w.rowCount !== 1) return yield* outOfStock(tx);
    }
    const c = yield* commitOrder(ctx, tx);
    return typeof c === 'string' ? c : 'FAILED';
  },
};
