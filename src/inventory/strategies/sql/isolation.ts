/**
 * The read-then-write transaction of sql-read-then-write, run at REPEATABLE READ or
 * SERIALIZABLE, with and without retrying serialization failures. At both levels PostgreSQL
 * refuses the lost update: the second transaction's UPDATE of a row another transaction
 * changed and committed since its snapshot fails with 40001 ("could not serialize access due
 * to concurrent update"; first updater wins). Nothing oversells. Without a retry, that order
 * answers FAILED although stock was left: safe, but it loses orders (its goodput is below 1).
 * With a retry (the whole transaction again, from BEGIN, up to `conflictRetries` times, after
 * a backoff), it sells what there is.
 */
import type { Proc } from '../../../sim/process.js';
import type { OrderAnswer } from '../../types.js';
import type { Isolation } from '../../sql/types.js';
import type { OrderContext, SqlQueryResult, Strategy } from '../../strategy.js';
import { commitOrder, giveUp, isSerializationFailure, itemsOf, outOfStock, SELECT_STOCK, SET_STOCK, stockOf } from './common.js';

/** One attempt: an answer, or the serialization failure that ended it (rolled back). */
function* attempt(ctx: OrderContext, isolation: Isolation): Proc<OrderAnswer | SqlQueryResult> {
  const tx = yield* ctx.sql.begin({ isolation });
  if (!tx.begun.ok) return 'FAILED';
  for (const [item, qty] of itemsOf(ctx.order.lines)) {
    const r = yield* tx.query(SELECT_STOCK, [item]);
    if (isSerializationFailure(r)) return (yield* tx.rollback(), r);
    if (!r.ok) return yield* giveUp(tx, r);
    const stock = stockOf(r);
    if (stock === null || stock < qty) return yield* outOfStock(tx);
    const w = yield* tx.query(SET_STOCK, [item, stock - qty]);
    if (isSerializationFailure(w)) return (yield* tx.rollback(), w);
    if (!w.ok) return yield* giveUp(tx, w);
  }
  return yield* commitOrder(ctx, tx);
}

function isolationStrategy(name: string, isolation: Isolation, retry: boolean): Strategy {
  const level = isolation.toUpperCase();
  return {
    name,
    summary: retry
      ? `read-then-write at ${level}, retried on SQLSTATE 40001: safe, and sells what there is`
      : `read-then-write at ${level}, no retry on SQLSTATE 40001: safe, but orders fail while stock is left`,
    safe: true,
    sql: true,
    *placeOrder(ctx) {
      // Read once: the retry budget and the pause between attempts (doubled each time, capped at 8x).
      const tries = retry ? 1 + ctx.options.conflictRetries : 1;
      const backoffMs = retry ? ctx.options.backoffMs : 0;
      for (let n = 0; n < tries; n++) {
        const r = yield* attempt(ctx, isolation);
        if (typeof r === 'string') return r;
        if (!isSerializationFailure(r)) return 'FAILED';
        ctx.log('serialization-failure', { attempt: n + 1, message: r.ok ? '' : r.message });
        if (n + 1 < tries) yield* ctx.sleep(backoffMs * 2 ** Math.min(n, 3));
      }
      return 'FAILED';
    },
  };
}

export const sqlRepeatableReadRetry = isolationStrategy('sql-repeatable-read-retry', 'repeatable read', true);
export const sqlSerializableRetry = isolationStrategy('sql-serializable-retry', 'serializable', true);
export const sqlRepeatableReadNoRetry = isolationStrategy('sql-repeatable-read-no-retry', 'repeatable read', false);
export const sqlSerializableNoRetry = isolationStrategy('sql-serializable-no-retry', 'serializable', false);
