/**
 * sql-read-then-write: in a READ COMMITTED transaction, SELECT the stock, check it in the app,
 * then UPDATE the stock to the number the app computed. The most common oversell in
 * production: two transactions read 1, both write 0, both commit. Under READ COMMITTED the
 * second UPDATE waits for the first transaction's row lock, then re-reads the row (EvalPlanQual)
 * but writes the value computed from its stale read: a lost update (DDIA ch. 7).
 */
import type { Strategy } from '../../strategy.js';
import { readCheckWriteTx, SELECT_STOCK } from './common.js';

export const sqlReadThenWrite: Strategy = {
  name: 'sql-read-then-write',
  summary: 'SELECT stock, check in the app, UPDATE stock = the computed number (READ COMMITTED): lost updates',
  safe: false,
  sql: true,
  *placeOrder(ctx) {
    return yield* readCheckWriteTx(ctx, SELECT_STOCK);
  },
};
