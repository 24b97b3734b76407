/**
 * retry-without-idempotency: the conditional decrement, retried on timeout WITHOUT a request
 * id. Broken on purpose; the simulator must catch it.
 *
 * Chapter 8 concept: *a timeout does not mean the request failed*. When the decrement reached
 * the primary and only the reply was lost (or the request was duplicated on the wire), the
 * retry is a second, independent decrement: the order takes two vases for one. The counter and
 * the unit ledger agree with each other, so the books look balanced; what breaks is
 * `acknowledged-is-sold` (an order holds more units than it bought, or an order told FAILED
 * owns a vase), and with enough of it `no-oversell` for everyone else.
 *
 * Caught by: `{ kind: 'drop-reply', call: 'decrement', nth: 1 }` (the first decrement is
 * applied, its reply lost, the retry applies it again), by `duplicatePerMille`, and by
 * `dropReplyPerMille` in the chaos sweep.
 * The fix is one field: a request id the primary deduplicates on (conditional-decrement).
 */
import type { Strategy } from '../strategy.js';
import { backoff, isReply, unexpected } from './common.js';
import { mapPacked } from '../../sim/packed.js';

export const retryWithoutIdempotency: Strategy = {
  name: 'retry-without-idempotency',
  summary: 'conditional decrement retried on timeout without a request id (a lost reply deducts twice)',
  safe: false,
  *placeOrder(ctx) {
    const lines = mapPacked(ctx.order.lines, (l) => ({ item: l.item, qty: l.qty }));
    const { retries } = ctx.options;
    for (let attempt = 0; attempt <= retries; attempt++) {
      // BUG: no requestId, so the primary cannot tell a retry from a new order.
      const r = yield* ctx.db.decrement(lines);
      if (r.ok) {
        if (r.value.ok === true) return 'ORDER_PLACED';
        if (isReply(r.value, false, 'insufficient')) return 'OUT_OF_STOCK';
        return unexpected('decrement', r.value);
      }
      yield* ctx.sleep(backoff(ctx.options, attempt));
    }
    // BUG: "it timed out every time, so it failed" (it may have been applied every time).
    return 'FAILED';
  },
};
