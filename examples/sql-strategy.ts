/**
 * A SQL strategy, written against the public API only: `SELECT ... FOR UPDATE` then UPDATE in
 * one READ COMMITTED transaction. It uses only ctx.sql (and ctx.log), so the same code runs in
 * the simulator and against a real PostgreSQL:
 *
 *   npx oversold run sql-for-update --strategy ./examples/sql-strategy.ts
 *   npx oversold sweep scenarios/sql-for-update.json --strategy ./examples/sql-strategy.ts --seeds 200
 *
 *   import { runOrdersOnPostgres } from 'oversold';
 *   await runOrdersOnPostgres(strategy, orders, { connectionString: 'postgres://...' });
 *
 * The row lock taken by FOR UPDATE lasts until COMMIT, so no other order reads the stock
 * between this order's read and its write. A lost reply to COMMIT is an unknown outcome: the
 * order is not answered FAILED, since it may have committed.
 */
import { defineStrategy, type OrderContext, type OrderAnswer, type Proc } from 'oversold';

export default defineStrategy({
  name: 'my-sql-for-update',
  summary: 'SELECT ... FOR UPDATE, check, UPDATE, COMMIT (READ COMMITTED)',
  safe: true,
  sql: true,

  *placeOrder(ctx: OrderContext): Proc<OrderAnswer> {
    const tx = yield* ctx.sql.begin({ isolation: 'read committed' });
    if (!tx.begun.ok) return 'FAILED';
    for (const line of ctx.order.lines) {
      const r = yield* tx.query('SELECT stock FROM items WHERE id = $1 FOR UPDATE', [line.item]);
      if (!r.ok) return yield* giveUp(tx, r.error);
      const stock = r.rows.length === 0 ? 0 : Number(r.rows[0].stock);
      if (stock < line.qty) {
        yield* tx.rollback();
        return 'OUT_OF_STOCK';
      }
      const w = yield* tx.query('UPDATE items SET stock = $2 WHERE id = $1', [line.item, stock - line.qty]);
      if (!w.ok) return yield* giveUp(tx, w.error);
    }
    const c = yield* tx.commit();
    if (c.ok && c.command === 'COMMIT') return 'ORDER_PLACED';
    if (!c.ok && c.error === 'unknown') {
      ctx.log('commit-unknown', { note: 'no reply to COMMIT: it may have committed; not answering' });
      for (;;) yield* ctx.sleep(86_400_000);
    }
    return 'FAILED';
  },
});

/** A statement before COMMIT failed: nothing committed. Roll back unless the connection is gone. */
function* giveUp(tx: { rollback(): Proc<unknown> }, error: string): Proc<OrderAnswer> {
  if (error !== 'unknown') yield* tx.rollback();
  return 'FAILED';
}
