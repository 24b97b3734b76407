/**
 * A complete user strategy, written against the public API only (`import ... from 'oversold'`).
 *
 *   npx oversold check scenarios/flash-sale-chaos.json --strategy ./examples/my-strategy.ts
 *   npx oversold sweep scenarios/flash-sale-chaos.json --strategy ./examples/my-strategy.ts --seeds 1000
 *
 * The idea: let the database decide. One atomic "decrement if there is enough" at the primary
 * for the whole order, so nobody acts on a stock number read earlier (no lost update, no stale
 * replica). The request carries an id, so a retry after a timeout (or a duplicated delivery)
 * is answered with the first outcome instead of taking a second vase.
 *
 * The rule it follows (DDIA Chapter 8): a timeout means *unknown*, not *failed*. The request
 * may have been applied and only the reply lost, so this strategy never answers FAILED while
 * its decrement might have happened: it keeps asking (same request id) until it knows.
 * docs/writing-a-strategy.md walks through it line by line.
 */
import { defineStrategy, type OrderContext, type OrderAnswer, type Proc } from 'oversold';

/** Backoff before retry `attempt`: backoffMs, doubling, capped at 8x (all virtual time). */
function backoffMs(ctx: OrderContext, attempt: number): number {
  return ctx.options.backoffMs * 2 ** Math.min(attempt, 3);
}

export default defineStrategy({
  name: 'my-decrement',
  summary: 'atomic decrement-if-enough with a request id, retried until the outcome is known',
  safe: true,

  *placeOrder(ctx: OrderContext): Proc<OrderAnswer> {
    // Same id on every attempt: the primary deduplicates on it. ctx.newId is deterministic.
    const requestId = ctx.newId('decrement');
    const lines = ctx.order.lines.map((l) => ({ item: l.item, qty: l.qty }));
    for (let attempt = 0; ; attempt++) {
      const r = yield* ctx.db.decrement(lines, { requestId });
      if (r.ok) {
        // The primary answered: the outcome is known.
        if (r.value.ok) return 'ORDER_PLACED';
        return 'OUT_OF_STOCK';
      }
      // r.error === 'timeout': the decrement may or may not have been applied. Ask again.
      ctx.log('retry', { attempt, requestId });
      yield* ctx.sleep(backoffMs(ctx, attempt));
    }
  },
});
