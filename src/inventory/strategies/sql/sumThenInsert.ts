/**
 * A reservation made by a SUM check then an INSERT: in one transaction, sum the quantities
 * already reserved for the item, read its stock, and if enough is left, INSERT a reservation
 * row (the scenario keeps reservations in a table: `sql.reservations`). No row is written by
 * two transactions, so REPEATABLE READ's first-updater-wins never fires: two orders each see
 * the other's reservation missing from their snapshot and both insert. Write skew (DDIA ch. 7),
 * and the vase is oversold. SERIALIZABLE (SSI) sees the rw-dependencies both ways and fails one
 * with 40001; retried, it sees the reservation and answers OUT_OF_STOCK.
 */
import type { Proc } from '../../../sim/process.js';
import type { OrderAnswer } from '../../types.js';
import type { Isolation } from '../../sql/types.js';
import type { OrderContext, SqlQueryResult, Strategy } from '../../strategy.js';
import { commitOrder, giveUp, isSerializationFailure, itemsOf, outOfStock, SELECT_STOCK, stockOf } from './common.js';

export const SUM_RESERVED = 'SELECT coalesce(sum(qty), 0) AS held FROM reservations WHERE item = $1';
export const INSERT_RESERVATION = 'INSERT INTO reservations (order_id, item, qty) VALUES ($1, $2, $3)';

function* attempt(ctx: OrderContext, isolation: Isolation): Proc<OrderAnswer | SqlQueryResult> {
  const tx = yield* ctx.sql.begin({ isolation });
  if (!tx.begun.ok) return 'FAILED';
  for (const [item, qty] of itemsOf(ctx.order.lines)) {
    const held = yield* tx.query(SUM_RESERVED, [item]);
    if (isSerializationFailure(held)) return (yield* tx.rollback(), held);
    if (!held.ok) return yield* giveUp(tx, held);
    const r = yield* tx.query(SELECT_STOCK, [item]);
    if (isSerializationFailure(r)) return (yield* tx.rollback(), r);
    if (!r.ok) return yield* giveUp(tx, r);
    const stock = stockOf(r);
    if (stock === null || stock - Number(held.rows[0].held) < qty) return yield* outOfStock(tx);
    const w = yield* tx.query(INSERT_RESERVATION, [`${ctx.order.id}/${item}`, item, qty]);
    if (isSerializationFailure(w)) return (yield* tx.rollback(), w);
    if (!w.ok) return yield* giveUp(tx, w);
  }
  return yield* commitOrder(ctx, tx);
}

function sumThenInsert(name: string, isolation: Isolation): Strategy {
  return {
    name,
    summary: `reserve by SUM(qty) check then INSERT, at ${isolation.toUpperCase()}, retried on 40001${isolation === 'serializable' ? ' (safe: SSI fails one of two)' : ' (write skew: oversells)'}`,
    safe: isolation === 'serializable',
    sql: true,
    *placeOrder(ctx) {
      // Read once: the retry budget and the pause between attempts (doubled each time, capped at 8x).
      const tries = 1 + ctx.options.conflictRetries;
      const backoffMs = ctx.options.backoffMs;
      for (let n = 0; n < tries; n++) {
        const r = yield* attempt(ctx, isolation);
        if (typeof r === 'string') return r;
        if (!isSerializationFailure(r)) return 'FAILED';
        ctx.log('serialization-failure', { attempt: n + 1 });
        if (n + 1 < tries) yield* ctx.sleep(backoffMs * 2 ** Math.min(n, 3));
      }
      return 'FAILED';
    },
  };
}

export const sqlSumThenInsertRepeatableRead = sumThenInsert('sql-sum-then-insert-repeatable-read', 'repeatable read');
export const sqlSumThenInsertSerializable = sumThenInsert('sql-sum-then-insert-serializable', 'serializable');
